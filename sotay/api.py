"""The JSON API: one NinjaAPI, one router per app. (Being built: see the API helper's report.)"""

from ninja import NinjaAPI

api = NinjaAPI(title="Sổ tay API", version="1", urls_namespace="api")
