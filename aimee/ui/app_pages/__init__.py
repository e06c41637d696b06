"""The dashboard's pages (run by ``st.navigation`` from ``aimee/ui/app.py``)."""
