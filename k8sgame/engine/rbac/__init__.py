"""Who may do what: the RBAC authorizer the API server asks for every request.

* ``rules`` — does one PolicyRule allow one request (``evaluation_helpers.go``,
  ``RuleAllows``);
* ``authorizer`` — which bindings apply to a user in a namespace, the rules they grant,
  the decision and the API server's Forbidden message.

Pure functions over stored objects: nothing here reads the store or keeps state.
"""
