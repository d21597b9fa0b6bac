"""The kubelet: runs the pods bound to one node and reports their status."""
