"""agilab-lab: an AGILab-style runtime and an agentic MLOps designer inside JupyterLab."""

from ._version import __version__


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "agilab-lab"}]


def _jupyter_server_extension_points():
    from .app import AgilabLabApp

    return [{"module": "agilab_lab", "app": AgilabLabApp}]


__all__ = ["__version__"]
