"""Article Editor: write a news article, see it as readers will, export a publication-ready page.

The package root and everything outside ``editor.ui`` is the Qt-free core: the article model,
its file format, rendering, import and export. ``editor.ui`` shows it.
"""

__version__ = "0.1.0"
# Who the application is to the system: where its settings and data live, its windows' name.
ORGANIZATION = "ArticleEditor"
APPLICATION = "Article Editor"
