"""The yardstick for cached packs: a bare FastAPI endpoint returning a constant, nothing else."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/constant")
def constant() -> dict[str, str]:
    return {"pack": "constant"}
