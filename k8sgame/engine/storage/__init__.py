"""The data volumes hold: each node's own disk (hostPath, emptyDir and local volumes live
there) and the cluster's network storage (nfs and every other kind of persistent volume)."""
