"""The faces on the web: the HTTP API (`portal.api`) and, later, the pages. They parse input, call one use case in
`service/` and render its answer; they add no rules of their own."""
