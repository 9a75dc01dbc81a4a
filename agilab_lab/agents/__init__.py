"""The designer: requirements -> constraints -> planned, critiqued, approved architecture.

Entry points: :class:`agilab_lab.agents.designer.Designer` (service), ``agents.graph``
(the LangGraph flow, imported lazily: LangGraph costs ~1.4 s to import) and the catalogue
data under ``agents/data``. See docs/designer.md.
"""
