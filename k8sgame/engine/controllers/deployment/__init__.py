"""The Deployment controller (``pkg/controller/deployment``): its rolling-update arithmetic,
its revisions and pod-template hashes, its conditions, and the control loop."""
