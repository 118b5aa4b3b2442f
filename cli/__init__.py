"""The `sohoa` command: parse arguments, call one use case of `service/` (or a flow), print the answer for people
(Vietnamese) or programs (--json). Nothing below imports it."""
