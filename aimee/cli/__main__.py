from aimee.cli import app

app()
