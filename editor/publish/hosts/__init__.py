"""Image hosts: where a post's local images go, since Blogger cannot store them.

`base` is the interface, `config` the non-secret settings (secrets live in the keyring),
`registry.open_host` builds a host from its settings, `uploader.prepare_images` is the publish
step, `deadimages` and `repair` find and fix broken images in published posts. No Qt here.
"""
