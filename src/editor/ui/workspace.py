"""The open articles' file life cycle: open, save, close, reload, recover, export.

:class:`Workspace` decides what happens to files; the window shows each document in a tab
(:class:`DocumentTabs`, which the window provides) and wires the rest. Every question goes
through the dialogs object (:mod:`editor.ui.dialogs`); messages for the status bar are emitted
as :attr:`Workspace.message`.

* Opening goes through ``open_paths`` → ``open_path`` → ``add_document``; saving through
  ``save_document`` only; closing through ``close_document`` (one tab) and ``confirm_quit``.
* ``document_opened``, ``document_saved`` and ``document_closed`` report each document.
* Every open document's unsaved text is journalled (``autosave``, :mod:`editor.ui.recovery`)
  and its file watched for changes by other programs (``file_watcher``, ``external_changes``,
  :mod:`editor.ui.file_watcher`); ``offer_recovery()`` runs at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from editor.checks import Finding, build_log, run_checks
from editor.errors import ArticleError, EncodingError
from editor.export import ExportOptions, export_article, render_page
from editor.fileformat import body_first_line
from editor.files import load_article, save_article
from editor.importers import is_native
from editor.model import Article, proposed_slug
from editor.placeholders import find_placeholders
from editor.recovery import RecoveryEntry, RecoveryJournal
from editor.ui.checklist import checklist_findings
from editor.ui.clipboard import copy_html
from editor.ui.dialogs import Dialogs, SaveChoice
from editor.ui.document import ArticleDocument
from editor.ui.drops import is_image
from editor.ui.editor_tab import EditorTab
from editor.ui.file_watcher import ExternalChanges, FileWatcher
from editor.ui.recovery import AutosaveController, adopt_entry, recovery_folder
from editor.ui.recovery_dialog import RecoveryChoice
from editor.ui.settings import Session, Settings


class DocumentTabs(Protocol):
    """What the workspace asks of the window that shows each open document in a tab."""

    def add_tab(self, document: ArticleDocument) -> EditorTab:
        """Show ``document`` in a new tab, made current."""
        ...

    def remove_tab(self, tab: EditorTab) -> None: ...

    def show_tab(self, tab: EditorTab) -> None: ...

    def current_tab(self) -> EditorTab | None: ...

    def editor_tabs(self) -> list[EditorTab]: ...


class Workspace(QObject):
    """The open documents and their files. See the module docstring for its API."""

    document_opened = Signal(object)  # ArticleDocument, read from a file
    document_saved = Signal(object)
    document_closed = Signal(object)
    message = Signal(str, int)  # for the status bar: text, milliseconds
    exported = Signal(object, str)  # the page's Path, and the message saying so

    def __init__(self, tabs: DocumentTabs, settings: Settings, dialogs: Dialogs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tabs = tabs
        self.settings = settings
        self.dialogs = dialogs
        self.autosave = AutosaveController(RecoveryJournal(recovery_folder()), self)
        self.file_watcher = FileWatcher(self)
        self.external_changes = ExternalChanges(self.file_watcher, dialogs,
                                                self.replace_keeping_view, self)
        self.document_saved.connect(self.autosave.on_saved)
        self.document_saved.connect(self.file_watcher.acknowledge)
        self.document_closed.connect(self.autosave.forget)
        self.document_closed.connect(self.file_watcher.forget)
        self.file_watcher.changed_on_disk.connect(self.external_changes.on_changed)
        self.file_watcher.deleted_on_disk.connect(self.external_changes.on_deleted)
        self.external_changes.message.connect(self.message)
        self.autosave.failed.connect(lambda text: self.message.emit(text, 10000))

    # -- the open documents ----------------------------------------------------------------------
    def documents(self) -> list[ArticleDocument]:
        return [tab.document for tab in self._tabs.editor_tabs()]

    def current_document(self) -> ArticleDocument | None:
        tab = self._tabs.current_tab()
        return tab.document if tab is not None else None

    def tab_for(self, document: ArticleDocument) -> EditorTab | None:
        for tab in self._tabs.editor_tabs():
            if tab.document is document:
                return tab
        return None

    # -- opening ---------------------------------------------------------------------------------
    def new_document(self) -> ArticleDocument:
        document = ArticleDocument()
        self.add_document(document)
        return document

    def open_with_dialog(self) -> None:
        recent = self.settings.recent_files
        folder = recent[0].parent if recent else Path.home()
        self.open_paths(self.dialogs.ask_open_paths(folder))

    def open_paths(self, paths: list[Path] | list[str]) -> list[ArticleDocument]:
        """Open each file in its own tab (or switch to it); images go into the current body.

        Files that cannot be opened are reported together, once the others are open.
        """
        opened: list[ArticleDocument] = []
        failures: list[str] = []
        images = [Path(path) for path in paths if is_image(Path(path))]
        for path in paths:
            if is_image(Path(path)) and self._tabs.current_tab() is not None:
                continue
            document = self.open_path(Path(path), failures)
            if document is not None:
                opened.append(document)
        if failures:
            self.dialogs.show_open_failures(failures, opened=len(opened))
        tab = self._tabs.current_tab()
        if images and tab is not None and not opened:
            tab.insert_images(images)
        return opened

    def open_path(self, path: Path, failures: list[str] | None = None) -> ArticleDocument | None:
        """Open one file, or switch to its tab if it is open. Errors leave everything as it was.

        Why a file cannot be opened is shown at once, or added to ``failures`` for a summary.
        """
        path = Path(path).expanduser().absolute()
        for tab in self._tabs.editor_tabs():
            known = tab.document.path or tab.document.imported_from
            if known is not None and _same_file(known, path):
                self._tabs.show_tab(tab)
                return tab.document
        try:
            try:
                article = load_article(path)
            except EncodingError as error:
                if not self.dialogs.ask_legacy_encoding(path, error):
                    return None
                article = load_article(path, error.fallback_encoding)
        except ArticleError as error:
            self._report_open_failure(str(error), failures)
            if not path.exists():
                self.settings.remove_recent_file(path)
            return None
        except OSError as error:  # the core wraps these; a last guard for the window
            self._report_open_failure(f"{path}: {error}", failures)
            return None
        markdown = is_native(path)
        document = ArticleDocument(article, path if markdown else None)
        if not markdown:
            # Untouched, it is not modified (no question at quit); Save still asks where the
            # Markdown file goes, since ``path`` is None.
            document.imported_from = path
        self.add_document(document)
        self.settings.add_recent_file(path)
        notes = list(article.warnings)
        if not markdown:
            notes.insert(0, f"Imported {path.name}; it will be saved as Markdown")
        if notes:
            self.message.emit("; ".join(notes), 8000)
        self.document_opened.emit(document)
        return document

    def _report_open_failure(self, message: str, failures: list[str] | None) -> None:
        if failures is None:
            self.dialogs.show_error("Cannot open the file", message)
        else:
            failures.append(message)

    def add_document(self, document: ArticleDocument) -> EditorTab:
        """Give ``document`` a tab, journal its unsaved text and watch its file."""
        document.setParent(self)
        tab = self._tabs.add_tab(document)
        self.autosave.watch(document)
        self.file_watcher.watch(document)
        document.path_changed.connect(lambda: self.file_watcher.watch(document))
        return tab

    # -- saving ----------------------------------------------------------------------------------
    def save_document(self, document: ArticleDocument, path: Path | None = None) -> bool:
        """Save as Markdown to ``path`` (default: its file, or ask). The one way to save."""
        if path is None:
            path = document.path
        if path is None:
            path = self.dialogs.ask_save_path(self.proposed_save_path(document))
            if path is None:
                return False
        if document.path is None:  # a new file, named from the slug
            self._fill_empty_slug(document)
        try:
            save_article(document.article(), path)
        except ArticleError as error:
            # The file on disk is untouched and the text stays open, unsaved.
            if self.dialogs.ask_save_failed(document, error):
                return self.save_document_as(document)
            return False
        document.imported_from = None
        document.set_path(Path(path).absolute())
        document.mark_saved()
        self.settings.add_recent_file(Path(path))
        self.message.emit(f"Saved {Path(path).name}", 4000)
        self.document_saved.emit(document)
        return True

    def save_document_as(self, document: ArticleDocument) -> bool:
        path = self.dialogs.ask_save_path(self.proposed_save_path(document))
        return path is not None and self.save_document(document, path)

    @staticmethod
    def _fill_empty_slug(document: ArticleDocument) -> None:
        """A file is named from the headline's slug: an empty slug gets it too (one undo step)."""
        metadata = document.metadata()
        proposal = proposed_slug(metadata.title)
        if not metadata.slug and proposal:
            document.update_metadata("Set slug", slug=proposal)

    def proposed_save_path(self, document: ArticleDocument) -> Path:
        """Where Save As starts: the file itself, else the slug (or the headline's) as the name,
        in the imported file's folder or the last one used."""
        if document.path is not None:
            return document.path
        metadata = document.metadata()
        slug = metadata.slug or proposed_slug(metadata.title)
        if document.imported_from is not None:
            source = document.imported_from
            return source.with_name(f"{slug}.md") if slug else source.with_suffix(".md")
        recent = self.settings.recent_files
        folder = recent[0].parent if recent else Path.home()
        return folder / f"{slug or 'untitled'}.md"

    # -- closing ---------------------------------------------------------------------------------
    def close_document(self, document: ArticleDocument) -> bool:
        """Close the document's tab, asking first about unsaved changes. False if kept."""
        tab = self.tab_for(document)
        if tab is None:
            return False
        if document.is_modified():
            self._tabs.show_tab(tab)
            choice = self.dialogs.ask_unsaved_choice(document)
            if choice is SaveChoice.CANCEL:
                return False
            if choice is SaveChoice.SAVE and not self.save_document(document):
                return False
        self._tabs.remove_tab(tab)
        self.document_closed.emit(document)
        document.deleteLater()
        return True

    def confirm_quit(self) -> bool:
        """Quitting: each unsaved article is asked about, the one in view first; with more
        than one, Save All or Discard All answers for the rest. False if the user cancelled."""
        unsaved = [tab for tab in self._tabs.editor_tabs() if tab.document.is_modified()]
        current = self._tabs.current_tab()
        if current in unsaved:
            unsaved.remove(current)
            unsaved.insert(0, current)
        while unsaved:
            tab = unsaved[0]
            self._tabs.show_tab(tab)
            choice = self.dialogs.ask_unsaved_choice(tab.document, len(unsaved) - 1)
            if choice is SaveChoice.CANCEL:
                return False
            if choice is SaveChoice.DISCARD_ALL:
                return True
            to_save = unsaved if choice is SaveChoice.SAVE_ALL else unsaved[:1]
            if choice is not SaveChoice.DISCARD:
                for saving in list(to_save):
                    self._tabs.show_tab(saving)
                    if not self.save_document(saving.document):
                        return False
            unsaved = [] if choice is SaveChoice.SAVE_ALL else unsaved[1:]
        return True

    def flush_journal(self) -> None:
        """Journal every unsaved text now and wait for the disk: the process is about to end."""
        for document in self.documents():
            self.autosave.write_now(document)
        self.autosave.wait()

    def save_session(self) -> None:
        """Remember the open articles, the tab in front and each cursor, for the next start."""
        files: list[Path] = []
        cursors: list[int] = []
        current = 0
        for tab in self._tabs.editor_tabs():
            path = tab.document.path or tab.document.imported_from
            if path is None:  # never saved: the journal keeps its text, if any
                continue
            if tab is self._tabs.current_tab():
                current = len(files)
            files.append(path)
            cursors.append(tab.cursor_position())
        self.settings.session = Session(tuple(files), tuple(cursors), current)

    def restore_session(self) -> list[ArticleDocument]:
        """At start: reopen the last session's articles, each at its cursor, the same tab in front.

        Files gone since are left out with a note in the status bar, not a dialog each.
        """
        if not self.settings.restore_session:
            return []
        session = self.settings.session
        failures: list[str] = []
        opened: list[tuple[ArticleDocument, int]] = []
        front: ArticleDocument | None = None
        for index, (path, cursor) in enumerate(zip(session.files, session.cursors, strict=True)):
            document = self.open_path(path, failures)
            if document is None:
                continue
            opened.append((document, cursor))
            if index == session.current:
                front = document
        for document, cursor in opened:
            tab = self.tab_for(document)
            if tab is not None:
                tab.editor.go_to_position(cursor)
        if front is not None and (tab := self.tab_for(front)) is not None:
            self._tabs.show_tab(tab)
        if failures:
            self.message.emit(f"{len(failures)} article(s) of the last session could not be "
                              f"reopened: {'; '.join(failures)}", 15000)
        return [document for document, _cursor in opened]

    def shutdown(self) -> None:
        """After a confirmed quit: everything was saved or discarded, nothing to recover."""
        self.autosave.discard_all()
        self.autosave.shutdown()

    # -- changes on disk and recovery ------------------------------------------------------------
    def replace_keeping_view(self, document: ArticleDocument, article: Article) -> None:
        """Put ``article`` in the document; its editor keeps the cursor and scroll position."""
        tab = self.tab_for(document)
        if tab is None:
            document.replace_article(article)
        else:
            tab.replace_text_keeping_view(article)

    def offer_recovery(self) -> list[ArticleDocument]:
        """At start: offer the unsaved work earlier runs left in the journal.

        Returns the documents restored. "Decide Later" keeps every entry for the next start.
        """
        journal = self.autosave.journal
        entries = journal.orphaned_entries()
        if not entries:
            return []
        choice, chosen = self.dialogs.ask_recovery(entries)
        if choice is RecoveryChoice.LATER:
            return []
        if choice is RecoveryChoice.DISCARD:
            for entry in chosen:
                journal.discard(entry)
            return []
        restored = [self.restore_entry(entry) for entry in chosen]
        notes = [f"Restored {len(restored)} article{'s' if len(restored) != 1 else ''} — save "
                 "to keep the recovered text"]
        notes += [warning for document in restored for warning in document.metadata().warnings]
        self.message.emit("; ".join(notes), 15000)
        return restored

    def restore_entry(self, entry: RecoveryEntry) -> ArticleDocument:
        """Open the entry's text in a tab, marked unsaved, in place of an untouched tab of its
        file."""
        article = entry.article()
        document = None
        if entry.path is not None:
            for tab in self._tabs.editor_tabs():
                if tab.document.path == entry.path and not tab.document.is_modified():
                    document = tab.document
                    document.replace_article(article)
                    self._tabs.show_tab(tab)
                    break
        if document is None:
            document = ArticleDocument(article, entry.path)
            self.add_document(document)
        document.mark_modified()
        adopt_entry(self.autosave, document, entry)
        return document

    # -- export ----------------------------------------------------------------------------------
    def export_html(self) -> bool:
        document = self.current_document()
        if document is None:
            return False
        article = document.article()
        base = document.path or document.imported_from or self.proposed_save_path(document)
        findings = self.checklist(document)
        request = self.dialogs.ask_export(base.with_suffix(".html"),
                                          find_placeholders(article.body), findings)
        if request is None:
            return False
        tab = self.tab_for(document)
        source_dir = tab.base_dir() if tab is not None else None
        try:
            resolver = export_article(article, request.output, request.options,
                                      source_dir=source_dir,
                                      allow_placeholders=request.allow_placeholders)
        except (ArticleError, OSError) as error:
            self.dialogs.show_error("Cannot export the article", str(error))
            return False
        self._write_build_log(request.output, base, findings, body_first_line(article),
                              exported_anyway=request.exported_anyway)
        message = f"Exported {request.output.name}"
        if resolver.missing:
            message += f" — image(s) not found: {', '.join(resolver.missing)}"
        self.exported.emit(request.output, message)
        return True

    def copy_as_html(self) -> None:
        """The body and related block as HTML on the clipboard, for pasting into a CMS."""
        document = self.current_document()
        if document is None:
            return
        findings = checklist_findings(self.checklist(document))
        if findings and not self.dialogs.ask_copy_anyway(findings):
            return
        html = render_page(document.article(), ExportOptions(fragment=True))
        copy_html(html, html)
        self.message.emit("Copied the article as HTML", 4000)

    def checklist(self, document: ArticleDocument) -> list[Finding]:
        """The copy desk's findings for ``document``, with its tab's spell check."""
        tab = self.tab_for(document)
        checker = tab.spell_checker if tab is not None else None
        return run_checks(document.article(), spelling=checker, with_suggestions=False)

    def _write_build_log(self, page: Path, source: Path, findings: list[Finding],
                         first_body_line: int, *, exported_anyway: bool) -> None:
        """NAME.build.log beside the page: the checklist as it stood, never inside the page."""
        log = page.with_name(f"{page.stem}.build.log")
        try:
            log.write_text(build_log(findings, source=source.name, page=page.name,
                                     first_body_line=first_body_line,
                                     exported_anyway=exported_anyway), encoding="utf-8")
        except OSError as error:
            self.message.emit(f"Could not write {log.name}: {error}", 8000)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
