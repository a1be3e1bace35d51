"""One module per blog platform: its `PLATFORM` entry (editor.publish.platform.Provider).

Adding a platform: its client module(s) in editor/publish, its module here, one line in
editor/publish/providers.py, its tests (and its target of the contract kit).
"""
