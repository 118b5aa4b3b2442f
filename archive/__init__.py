"""The archive: records over a write-once object store (filesystem by default, MinIO in production), with
retention locks, legal holds, fixity, disposition, transfer packages and the audit log."""
