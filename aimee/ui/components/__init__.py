"""Reusable pieces of the pages: they draw with Streamlit and call the API client."""
