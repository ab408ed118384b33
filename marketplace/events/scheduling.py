"""The scheduling job (events.schedule) and its services: being written."""
