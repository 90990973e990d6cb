"""Pages and widgets of the Streamlit app (``app.py``); each page gets what it needs passed in."""
