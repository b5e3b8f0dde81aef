// Runs at the top of <body>, before anything is drawn, so that GOV.UK Frontend's
// JavaScript-only styles apply without a flash. A file, not inline: the
// Content-Security-Policy allows scripts from this site only.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
