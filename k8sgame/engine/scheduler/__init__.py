"""The default scheduler: filter and score plugins, queue, and binding."""
