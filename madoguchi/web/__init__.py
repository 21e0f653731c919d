"""The HTTP layer: routes, views and middleware. Thin: it calls engine/ and auth/ services
and renders with renderers/."""
