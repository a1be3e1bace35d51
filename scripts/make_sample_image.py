"""Draw the first-run sample's header image (run once; the PNG is committed)."""

import sys

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath

app = QGuiApplication(sys.argv[:1])
width, height = 960, 420
image = QImage(width, height, QImage.Format.Format_RGB32)
painter = QPainter(image)
painter.setRenderHint(QPainter.RenderHint.Antialiasing)
sky = QLinearGradient(0, 0, 0, height)
sky.setColorAt(0, QColor("#f6d7a7"))
sky.setColorAt(0.55, QColor("#f3a683"))
sky.setColorAt(1, QColor("#786fa6"))
painter.fillRect(image.rect(), sky)
painter.setPen(Qt.PenStyle.NoPen)
painter.setBrush(QColor(255, 244, 214, 220))
painter.drawEllipse(QPointF(700, 170), 60, 60)
for i, (colour, base, amp) in enumerate(
    [("#574b90", 300, 60), ("#3d3d6b", 340, 45), ("#2c2c54", 380, 30)]
):
    path = QPainterPath(QPointF(0, height))
    for x in range(0, width + 40, 40):
        y = base - amp * (0.5 + 0.5 * ((x * (i + 3)) % 170) / 170) * (1 if x % 80 else 0.7)
        path.lineTo(x, y)
    path.lineTo(width, height)
    painter.setBrush(QColor(colour))
    painter.drawPath(path)
painter.setBrush(QColor("#1e1e3a"))
for x in range(120, 860, 90):  # a row of houses on the shore
    painter.drawRect(QRectF(x, 350 - (x % 3) * 8, 40, 70))
painter.end()
image.save(sys.argv[1] if len(sys.argv) > 1 else "harbour.png")
