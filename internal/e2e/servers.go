package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// StartNginx runs nginx in the foreground as one process (daemon off,
// master_process off), its pid, logs and temporary paths in a directory of
// the test, with the server blocks given inside http { }; they must listen
// on 127.0.0.1:port. It returns that address; the process is killed when
// the test ends.
func StartNginx(t testing.TB, port int, servers string) string {
	t.Helper()
	nginx := NeedTool(t, "nginx")
	dir := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %[1]s;
  proxy_temp_path %[1]s;
  fastcgi_temp_path %[1]s;
  uwsgi_temp_path %[1]s;
  scgi_temp_path %[1]s;
%[2]s
}
`, dir, servers)
	cf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return StartServer(t, port, nginx, "-p", dir, "-c", cf, "-e", filepath.Join(dir, "error.log"))
}

// ApacheModules are the modules every Apache of StartApache loads, from
// Debian's /usr/lib/apache2/modules.
var ApacheModules = []string{"mpm_event", "authz_core", "ssl", "socache_shmcb"}

// StartApache runs Apache httpd in the foreground as one process (-X) with
// a configuration of its own: ServerRoot, pid, log and mutexes in a
// directory of the test, [ApacheModules] and the extra modules given, User
// nobody (httpd refuses to serve as root), then site — the Listen and
// VirtualHost lines, listening on 127.0.0.1:port. It returns that address;
// the process is killed by pid when the test ends (one process, so no
// child outlives it).
func StartApache(t testing.TB, port int, site string, modules ...string) string {
	t.Helper()
	apache := NeedTool(t, "apache2")
	dir := t.TempDir()
	var load strings.Builder
	for _, m := range append(append([]string{}, ApacheModules...), modules...) {
		fmt.Fprintf(&load, "LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so\n", m, m)
	}
	conf := fmt.Sprintf(`ServerRoot %[1]s
PidFile %[1]s/httpd.pid
ErrorLog %[1]s/error.log
LogLevel warn
Mutex file:%[1]s default
%[2]s
User nobody
Group nogroup
ServerName localhost
%[3]s
`, dir, load.String(), site)
	cf := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return StartServer(t, port, apache, "-f", cf, "-X")
}
