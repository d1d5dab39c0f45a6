package dashboards_test

import (
	"net/http"
	"net/http/httptest"
)

func httptestRequest(method, path string) *http.Request {
	return httptest.NewRequest(method, path, nil)
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
