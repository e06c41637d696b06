"""HTTP layer: FastAPI app, routers, schemas, dependencies."""
