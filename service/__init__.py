"""The application layer: sohoa's use cases, which the command line, the HTTP API and the portal all call.

Each use case is given the backends (`context.services.Services`), an explicit `domain.actor.Actor` and, where the
law asks one (NĐ 13/2023 for reads of personal data), a purpose; it writes the audit event itself, so no face can
forget it. Failures are `service.errors.ServiceError`s with a stable English code and a Vietnamese message; the faces
decide how to show them (an exit status, an HTTP status).
"""
