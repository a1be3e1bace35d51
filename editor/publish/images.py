"""What the writer is told about images from his disk where the blog cannot take them.

Finding a post's images is editor.core.post_images's job (in the rendered HTML, one rule).
"""

from __future__ import annotations


def local_images_warning(images: list[str]) -> str:
    """One sentence listing the local images (empty when there are none)."""
    if not images:
        return ""
    listed = ", ".join(images[:10]) + (f" and {len(images) - 10} more" if len(images) > 10 else "")
    return (
        f"Blogger cannot receive images from your disk, so these will be missing on the blog:"
        f" {listed}. Set up an image host (Publish ▸ Image Hosts… in the window, or"
        " `broadsheet images add-host`) and publish again: they are uploaded there."
    )
