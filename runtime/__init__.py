"""newsclaims' composition root: the Settings (``runtime.settings``) and the ``Root`` that builds
the engine, pipeline, calendar, prices and worker options from them (``runtime.root``).

It sits above corpus and review and below api and cli: the CLI, the API app and the workers take
their objects from here; nothing below imports it. Importing this package loads nothing: import
the module you need (``runtime.settings`` loads only pydantic-settings).
"""
