"""Pages. Views stay thin: check the scope, read a form, call a selector or a service, render."""
