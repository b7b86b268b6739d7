// Times the real OpenShift router's own config render on a routec bench input, on this
// machine, so routec's figures can be compared side by side instead of with a table measured
// elsewhere. This file is routec's; run.sh copies it into a checkout of openshift/router (never
// committed here) as a test of its template package, which can reach the unexported render
// (writeConfig: certificates, weights, then every template file executed and written).
//
// ROUTEC_BENCH_INPUT: a JSON List (Routes, Services, Endpoints) as ../shared/bench/gen_routes.py
// writes it; ROUTEC_BENCH_TEMPLATE: the router's haproxy-config.template; ROUTEC_BENCH_ENV: the
// router.env whose variables the template reads with `env`; ROUTEC_BENCH_RUNS: renders timed.

package templaterouter

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	routev1 "github.com/openshift/api/route/v1"
	kapi "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"
)

type routecServices map[string]*kapi.Service

func (s routecServices) LookupService(e *kapi.Endpoints) (*kapi.Service, error) {
	if svc, ok := s[e.Namespace+"/"+e.Name]; ok {
		return svc, nil
	}
	return nil, fmt.Errorf("no service %s/%s", e.Namespace, e.Name)
}

func routecSetEnv(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			t.Setenv(k, v)
		}
	}
}

func TestRoutecRender(t *testing.T) {
	input := os.Getenv("ROUTEC_BENCH_INPUT")
	if input == "" {
		t.Skip("ROUTEC_BENCH_INPUT is unset")
	}
	if env := os.Getenv("ROUTEC_BENCH_ENV"); env != "" {
		routecSetEnv(t, env)
	}
	raw, err := os.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	services := routecServices{}
	var routes []*routev1.Route
	var endpoints []*kapi.Endpoints
	for _, item := range list.Items {
		var head struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(item, &head); err != nil {
			t.Fatal(err)
		}
		switch head.Kind {
		case "Route":
			r := &routev1.Route{}
			if err := json.Unmarshal(item, r); err != nil {
				t.Fatal(err)
			}
			routes = append(routes, r)
		case "Service":
			s := &kapi.Service{}
			if err := json.Unmarshal(item, s); err != nil {
				t.Fatal(err)
			}
			services[s.Namespace+"/"+s.Name] = s
		case "Endpoints":
			e := &kapi.Endpoints{}
			if err := json.Unmarshal(item, e); err != nil {
				t.Fatal(err)
			}
			endpoints = append(endpoints, e)
		}
	}

	dir := t.TempDir()
	plugin, err := NewTemplatePlugin(TemplatePluginConfig{
		WorkingDir:             dir,
		TemplatePath:           os.Getenv("ROUTEC_BENCH_TEMPLATE"),
		ReloadFn:               func(bool) error { return nil },
		ReloadInterval:         time.Hour,
		DefaultCertificatePath: filepath.Join(dir, "default.pem"),
		StatsPort:              1936,
	}, services)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range endpoints {
		if err := plugin.HandleEndpoints(watch.Added, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range routes {
		if err := plugin.HandleRoute(watch.Added, r); err != nil {
			t.Fatal(err)
		}
	}
	router := plugin.Router.(*templateRouter)
	router.synced = true

	runs := 3
	fmt.Sscan(os.Getenv("ROUTEC_BENCH_RUNS"), &runs)
	var times []float64
	for i := 0; i < runs; i++ {
		start := time.Now()
		if err := router.writeConfig(); err != nil {
			t.Fatal(err)
		}
		times = append(times, time.Since(start).Seconds())
	}
	sort.Float64s(times)
	info, err := os.Stat(filepath.Join(dir, "conf", "haproxy.config"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("router render: %d routes, %d bytes of haproxy.config, median %.3f s of %d (%v)\n",
		len(routes), info.Size(), times[len(times)/2], runs, times)
}
