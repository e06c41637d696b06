"""The Streamlit dashboard. It talks to the API over HTTP only (``client.py``);
pages in ``app_pages/`` are thin, their logic lives in the modules beside them."""
