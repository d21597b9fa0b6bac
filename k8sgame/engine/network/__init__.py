"""The network box: the single authority on what a packet sent inside the cluster reaches.

The modules read like the parts of a real cluster that decide it:

* ``dns`` — CoreDNS with its ``kubernetes`` plugin (Service, headless, StatefulSet pod,
  ExternalName and pod names under ``cluster.local``) and the upstream it forwards to;
* ``pod_files`` — what the kubelet writes into every container: ``/etc/resolv.conf`` (the
  pod's ``dnsPolicy`` and ``dnsConfig``) and ``/etc/hosts``;
* ``resolver`` — the stub resolver of the C library in a container (``/etc/hosts``, the
  search list and ``ndots``), a pure function the client programs call;
* ``proxy`` — kube-proxy in iptables mode: a Service's virtual IP and port lead to one of
  its usable endpoints, or are rejected, dropped or not matched at all;
* ``fabric`` — ``Network``: routes a connection from a pod to the process that answers it
  (through the proxy, to a pod's running container) and says what the client sees;
* ``ingress_routing`` — an Ingress controller's choice of backend for a request's host and
  path (ingress-nginx's reading of the Ingress rules), a pure function;
* ``client`` — what crosses to the programs in a container (``curl``, ``wget``,
  ``nslookup``, ``nc`` in ``images/shell/net_tools.py``): DNS replies, connection outcomes,
  HTTP answers and ``PodNetwork``, the handle they are given.

Nothing here keeps time or randomness of its own: every choice (which endpoint a
connection lands on) comes from a ``random.Random`` seeded with stable inputs. The package
imports nothing at load time, so the shell can import ``client`` and ``resolver`` without
pulling in the API server.
"""
