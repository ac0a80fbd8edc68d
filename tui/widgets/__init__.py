"""The app's widgets and the plain-words helpers they share."""
