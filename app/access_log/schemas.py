from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AccessLogRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 41, "at": "2026-11-23T09:30:00Z", "client_id": 3, "client_name": "Liverpool BI", "la": "341",
        "action": "read", "dataset": "orders", "record_key": "LIV-2019-0031", "record_count": 1,
        "request_id": "7f9c2a0e4b5d4c1e9a3b2f1d0c9e8a7b", "client_request_id": "nightly-orders-0412"}]})

    id: int
    at: datetime
    client_id: int
    client_name: str
    la: str
    action: str
    dataset: str
    record_key: str | None
    record_count: int
    request_id: str = Field(description="The server's own id of the request, unique to it; the `X-Request-ID` "
                                        "response header when the client sent none.")
    client_request_id: str | None = Field(description="The `X-Request-ID` the client sent (echoed in the response), "
                                                      "if any; two requests may share one.")
