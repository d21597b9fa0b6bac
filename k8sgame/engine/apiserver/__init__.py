"""The API server's request path: authentication, authorization, admission, then storage.

Every read and write of the simulated cluster — kubectl's, the levels box's, the
controllers', the scheduler's and the kubelets' — is a ``Request`` handed to
``ApiServer.handle``. See ``docs/engine.md`` for the order of the stages.
"""
