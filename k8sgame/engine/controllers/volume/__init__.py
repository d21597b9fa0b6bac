"""Storage controllers: the persistentvolume-controller (claims and volumes bound to each
other, released and reclaimed), the simulated local-path provisioner, and the controllers
that hold a claim or a volume while it is in use."""
