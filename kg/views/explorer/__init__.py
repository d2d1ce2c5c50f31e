"""The explorer that ``kg serve`` serves: search, a page for every person, organisation, place,
event and article, a SPARQL editor (``app.py`` the routes, ``reads.py`` the queries,
``templates/`` and ``assets/`` the pages)."""
