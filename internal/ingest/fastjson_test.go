package ingest

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestFastRecordAgreesWithEncodingJSON checks that every line the fast
// reader takes is read as encoding/json reads it, and that it leaves the
// lines it should to encoding/json.
func TestFastRecordAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range []struct {
		line string
		fast bool // whether the fast reader takes it
	}{
		{`{"id":"a","text":"hello","author":"@ana","published":"2026-11-02T10:00:00Z","url":"https://x.example/1","title":"T","parent_id":"p","likes":3,"replies":"1","shares":0,"followers":1e3}`, true},
		{`{"id":"a","text":"line\nbreak \"quoted\" back\\slash \/ tab\t"}`, true},
		{`{"id":"a","text":"x","extra":{"nested":[1,2]},"likes":null}`, true},
		{`{"id":"a","text":"first","text":"second"}`, true},
		{`{"id":"a","text":"x","likes":2,"likes":null}`, true},
		{` {"id":"a","text":"x"} `, true},
		{`{"ID":"a","Text":"x"}`, false},
		{`{"id":"a","text":"caf\u00e9"}`, false},
		{`{"id":"a","text":"x","likes":-1}`, false},
		{`{"id":"a","text":"x","likes":true}`, false},
		{`{"id":5,"text":"x"}`, false},
		{`{"id":"a","text":"x"} trailing`, false},
		{`["id","a"]`, false},
		{`not json`, false},
		{"{\"id\":\"a\",\"text\":\"bad \xff utf-8\"}", false},
		{`{"id":"a","te\u0078t":"x"}`, false},
		{`{"ſd":"a","text":"x"}`, false},
	} {
		got, ok := fastRecord([]byte(c.line))
		if ok != c.fast {
			t.Errorf("%s: fast reader took it = %v, want %v", c.line, ok, c.fast)
		}
		if !ok {
			continue
		}
		var want record
		if err := json.Unmarshal([]byte(c.line), &want); err != nil {
			t.Errorf("%s: fast reader took a line encoding/json refuses: %v", c.line, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nfast     %+v\nencoding %+v", c.line, got, want)
		}
	}
}
