"""One module per kubectl verb (or family of verbs); each declares its verbs in the verb
registry (``k8sgame.kubectl.verbs``) and binds their handlers. Importing this package
registers them all."""

from k8sgame.kubectl.commands import (  # noqa: F401  (each registers its verbs)
    apply,
    autoscale,
    config,
    create_ingress,
    create_job,
    create_service,
    create_workloads,
    delete,
    describe,
    drain,
    edit,
    exec,
    explain,
    expose,
    generators,
    get,
    info,
    logs,
    metadata,
    nodes,
    patch,
    port_forward,
    replace,
    rollout,
    scale,
    set,
    top,
    wait,
)
