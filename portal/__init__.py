"""The faces on the web: the HTTP API (`portal.api` and its routes) and the portal's pages for clerks, reviewers,
citizens, archivists, digitisation leads and administrators. They parse input, call one use case in `service/` and
render its answer; they add no rules of their own."""
