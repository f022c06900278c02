from .factories import private_media  # noqa: F401
