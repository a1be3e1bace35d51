"""The dead-image check as the command line and the window use it: scan a configured blog,
find the writer's copies of a dead image, repair it through the blog's image host.

Everything here blocks on the network or the disk: the window calls it from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from editor.publish.accounts import Blog
from editor.publish.blogger import BloggerClient
from editor.publish.errors import ConfigError
from editor.publish.hosts.deadimages import PostImages, ScanProgress, image_urls, scan_blog
from editor.publish.hosts.repair import RepairResult, find_local_copies, repair_image
from editor.publish.service import PublishService


@dataclass(frozen=True)
class BlogScan:
    """One scan: the blog and its published posts that show images (each with its dead ones)."""

    blog: Blog
    posts: list[PostImages]

    @property
    def broken(self) -> list[PostImages]:
        """The posts with at least one image that does not load."""
        return [p for p in self.posts if p.dead]

    @property
    def dead_count(self) -> int:
        """How many dead images, counted per post."""
        return sum(len(p.dead) for p in self.posts)

    @property
    def image_count(self) -> int:
        """How many distinct image addresses were checked."""
        return len({u for p in self.posts for u in p.images})

    def summary(self) -> str:
        """One sentence for the writer."""
        if self.dead_count:
            return (
                f"{self.dead_count} of {self.image_count} images in {len(self.broken)} of"
                f" {len(self.posts)} posts with images do not load."
            )
        return f"All {self.image_count} images in {len(self.posts)} posts load."


def blogger_client(service: PublishService, blog: Blog) -> BloggerClient:
    """The blog's client; the check reads posts through the Blogger API."""
    client = service.client_for(blog)
    if not client.capabilities.image_check:
        raise ConfigError(
            f"The image check works with Blogger blogs; {blog.name} keeps its images in its own"
            " media library."
        )
    # Only Blogger's client has image_check: the scan lists posts with its API's own query.
    return cast(BloggerClient, client)


def scan(
    service: PublishService, wanted: str | None, progress: ScanProgress | None = None
) -> BlogScan:
    """Scan the blog named by `wanted` (None: the default blog). Raises PublishError."""
    blog = service.accounts().find_blog(wanted)
    client = blogger_client(service, blog)
    return BlogScan(blog, scan_blog(client, blog.remote_id, service.session, progress=progress))


def fetch_post(service: PublishService, blog: Blog, post_id: str) -> PostImages:
    """One post as a scan lists it, fetched now (its images not checked): what `repair` needs
    to fix a single image without scanning the whole blog. Raises PublishError subclasses.
    """
    post = blogger_client(service, blog).get_post(blog.remote_id, post_id)
    return PostImages(post.id, post.title, post.url, post.updated, image_urls(post.content))


def local_copies(service: PublishService, blog: Blog, post_id: str, dead_url: str) -> list[Path]:
    """The writer's files that are probably the image once at `dead_url`, best guess first."""
    return find_local_copies(dead_url, post_id, blog.key, service.paths.drafts_dir)


def repair(
    service: PublishService, blog: Blog, post: PostImages, dead_url: str, local_file: Path
) -> RepairResult:
    """Upload `local_file` to the blog's image host and point `post` at it.

    The post's `updated` from the scan is the conflict check: an edit made since raises
    ConflictError and changes nothing. Raises PublishError subclasses.
    """
    client = blogger_client(service, blog)
    host = service.image_host(blog)
    try:
        return repair_image(
            client,
            blog.remote_id,
            post.post_id,
            dead_url,
            local_file,
            host,
            expected_updated=post.updated,
            drafts_dir=service.paths.drafts_dir,
        )
    finally:
        host.close()
