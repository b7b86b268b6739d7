// Command gotmpl-oracle executes templates with Go's own text/template, as the differential
// oracle for routec's engine (core/src/gotmpl). It reads JSON lines
// {"tmpl": "...", "data": <typed value>} on stdin and writes one JSON line per case:
// {"ok": true, "out": "..."} or {"ok": false, "phase": "parse"|"exec", "msg": "..."}.
//
// Data is typed so that Go sees the same types routec models:
// null → nil; {"b":true} bool; {"i":"5"} int; {"u":"5"} uint; {"f":"1.5"} float64;
// {"s":"x"} string; {"l":[...]} []interface{}; {"ls":[...]} []string; {"li":[...]} []int;
// {"m":{...}} map[string]interface{}; {"ms":{...}} map[string]string;
// {"mi":[[k,v],...]} map[int]interface{}; {"item":{...}} Item; {"pitem":{...}} *Item;
// {"nilitem":true} (*Item)(nil); {"fn":"add"|"upper"|"fail"|"join"} a func value.
//
// Every case also has the router's FuncMap functions that need no router data, written here
// from their documented behaviour (spec: openshift-router.md) over the standard library, with
// "env" read from the case's "env" object instead of the process environment.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"text/template"
)

// Item is the one struct type the cases use, so field and method lookups can be compared.
type Item struct {
	Name   string
	Count  int
	Ratio  float64
	On     bool
	Tags   []string
	Attrs  map[string]string
	Any    interface{}
	hidden int
}

func (i Item) Upper() string                           { return strings.ToUpper(i.Name) }
func (i Item) Plus(n int) int                          { return i.Count + n }
func (i Item) Fail() (string, error)                   { return "", errors.New("boom") }
func (i Item) Join(sep string, parts ...string) string { return strings.Join(parts, sep) }

type result struct {
	Ok    bool   `json:"ok"`
	Out   string `json:"out,omitempty"`
	Phase string `json:"phase,omitempty"`
	Msg   string `json:"msg,omitempty"`
}

func num(v interface{}) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return fmt.Sprint(v)
}

func decode(v interface{}) (interface{}, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]interface{})
	if !ok || len(obj) != 1 {
		return nil, fmt.Errorf("bad typed value %v", v)
	}
	for k, x := range obj {
		switch k {
		case "b":
			return x.(bool), nil
		case "i":
			return strconv.Atoi(num(x))
		case "u":
			u, err := strconv.ParseUint(num(x), 10, 64)
			return uint(u), err
		case "f":
			return strconv.ParseFloat(num(x), 64)
		case "s":
			return x.(string), nil
		case "l":
			in := x.([]interface{})
			out := make([]interface{}, len(in))
			for i, e := range in {
				d, err := decode(e)
				if err != nil {
					return nil, err
				}
				out[i] = d
			}
			return out, nil
		case "ls":
			in := x.([]interface{})
			out := make([]string, len(in))
			for i, e := range in {
				out[i] = e.(string)
			}
			return out, nil
		case "li":
			in := x.([]interface{})
			out := make([]int, len(in))
			for i, e := range in {
				n, err := strconv.Atoi(num(e))
				if err != nil {
					return nil, err
				}
				out[i] = n
			}
			return out, nil
		case "m":
			out := map[string]interface{}{}
			for mk, e := range x.(map[string]interface{}) {
				d, err := decode(e)
				if err != nil {
					return nil, err
				}
				out[mk] = d
			}
			return out, nil
		case "ms":
			out := map[string]string{}
			for mk, e := range x.(map[string]interface{}) {
				out[mk] = e.(string)
			}
			return out, nil
		case "mi":
			out := map[int]interface{}{}
			for _, pair := range x.([]interface{}) {
				p := pair.([]interface{})
				n, err := strconv.Atoi(num(p[0]))
				if err != nil {
					return nil, err
				}
				d, err := decode(p[1])
				if err != nil {
					return nil, err
				}
				out[n] = d
			}
			return out, nil
		case "item", "pitem":
			it, err := decodeItem(x.(map[string]interface{}))
			if err != nil {
				return nil, err
			}
			if k == "pitem" {
				return &it, nil
			}
			return it, nil
		case "nilitem":
			return (*Item)(nil), nil
		case "fn":
			switch x.(string) {
			case "add":
				return func(a, b int) int { return a + b }, nil
			case "upper":
				return func(s string) string { return strings.ToUpper(s) }, nil
			case "fail":
				return func() (string, error) { return "", errors.New("boom") }, nil
			case "join":
				return func(sep string, parts ...string) string { return strings.Join(parts, sep) }, nil
			}
		}
	}
	return nil, fmt.Errorf("bad typed value %v", v)
}

func decodeItem(f map[string]interface{}) (Item, error) {
	var it Item
	for k, x := range f {
		d, err := decode(x)
		if err != nil {
			return it, err
		}
		switch k {
		case "Name":
			it.Name = d.(string)
		case "Count":
			it.Count = d.(int)
		case "Ratio":
			it.Ratio = d.(float64)
		case "On":
			it.On = d.(bool)
		case "Tags":
			it.Tags = d.([]string)
		case "Attrs":
			it.Attrs = d.(map[string]string)
		case "Any":
			it.Any = d
		case "hidden":
			it.hidden = d.(int)
		}
	}
	return it, nil
}

func routerFuncs(envMap map[string]string) template.FuncMap {
	return template.FuncMap{
		"env": func(name string, defaults ...string) string {
			if v := envMap[name]; v != "" {
				return v
			}
			for _, d := range defaults {
				if d != "" {
					return d
				}
			}
			return ""
		},
		"isTrue": func(s string) bool {
			v, _ := strconv.ParseBool(s)
			return v
		},
		"isInteger": func(s string) bool {
			_, err := strconv.Atoi(s)
			return err == nil
		},
		"matchValues": func(s string, allowed ...string) bool {
			for _, a := range allowed {
				if a == s {
					return true
				}
			}
			return false
		},
		"parseIPList": func(list string) string {
			t := strings.TrimSpace(list)
			if t == "" || t != list {
				return ""
			}
			var kept []string
			for _, f := range strings.Fields(list) {
				if net.ParseIP(f) != nil {
					kept = append(kept, f)
				} else if _, _, err := net.ParseCIDR(f); err == nil {
					kept = append(kept, f)
				}
			}
			return strings.Join(kept, " ")
		},
	}
}

func run(text string, data interface{}, envMap map[string]string) (r result) {
	defer func() {
		if p := recover(); p != nil {
			r = result{Phase: "panic", Msg: fmt.Sprint(p)}
		}
	}()
	t, err := template.New("main").Funcs(routerFuncs(envMap)).Parse(text)
	if err != nil {
		return result{Phase: "parse", Msg: err.Error()}
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return result{Phase: "exec", Msg: err.Error()}
	}
	return result{Ok: true, Out: b.String()}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var c struct {
			Tmpl string            `json:"tmpl"`
			Data interface{}       `json:"data"`
			Env  map[string]string `json:"env"`
		}
		dec := json.NewDecoder(strings.NewReader(in.Text()))
		dec.UseNumber()
		if err := dec.Decode(&c); err != nil {
			enc.Encode(result{Phase: "input", Msg: err.Error()})
			continue
		}
		data, err := decode(c.Data)
		if err != nil {
			enc.Encode(result{Phase: "input", Msg: err.Error()})
			continue
		}
		enc.Encode(run(c.Tmpl, data, c.Env))
	}
}
