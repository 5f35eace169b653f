"""The API's JSON: msgspec Structs that encode responses, decode requests and give the OpenAPI schemas."""
