"""Data files shipped with Broadsheet: stylesheets, icons, the sample draft."""
