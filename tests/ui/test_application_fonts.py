"""The bundled font: the style sheet's DejaVu Sans Mono is loaded from resources/fonts, so a
Windows PC (which has no DejaVu) shows the same digits; the PyInstaller spec collects
resources/ whole."""

from __future__ import annotations

from ui.application import RESOURCES, create_qapplication, load_bundled_fonts


def test_the_style_sheets_monospace_font_is_bundled_and_loads(qtbot) -> None:
    create_qapplication()
    assert (RESOURCES / "fonts" / "DejaVuSansMono.ttf").is_file()
    assert (RESOURCES / "fonts" / "LICENSE.txt").is_file()
    assert "DejaVu Sans Mono" in load_bundled_fonts()
    assert '"DejaVu Sans Mono"' in (RESOURCES / "style.qss").read_text(encoding="utf-8")
