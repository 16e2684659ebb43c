"""Overmax Pomoc Zdalna: the remote-help launcher for TeamViewer QuickSupport."""

__version__ = "0.1.0"
APP_NAME = "Overmax Pomoc Zdalna"
APP_ID = "OvermaxPomocZdalna"
ORG_NAME = "Overmax"
