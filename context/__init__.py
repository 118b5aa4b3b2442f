"""The composition root: the settings read from files and the environment, the backends they choose wired together
(`context.services.Services`), and the registry of documents in flight. Every face and use case reaches the archive,
the index and the signer through here, so none of them depends on the per-document stages in `pipeline/`."""

PRIVATE_UMASK = 0o027  # what a data directory's files are made with: folders 0750, files 0640 (keys 0600)
