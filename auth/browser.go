package auth

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
)

// ErrNoDesktop means there is no desktop session to open a browser in.
var ErrNoDesktop = errors.New("no desktop session (DISPLAY and WAYLAND_DISPLAY are unset)")

// HasDesktop reports whether a browser can be opened on this machine:
// macOS and Windows always, elsewhere when an X11 or Wayland session is
// present (an SSH session without forwarding has neither).
func HasDesktop(goos string, getenv func(string) string) bool {
	switch goos {
	case "darwin", "windows":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

// OpenBrowser asks the desktop to open url (open on macOS, xdg-open on
// Linux and the BSDs, the URL handler on Windows). It does not wait for
// the browser; an error only means the user must open the URL themselves.
func OpenBrowser(url string) error {
	if !HasDesktop(runtime.GOOS, os.Getenv) {
		return ErrNoDesktop
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // reap it; its outcome is the user's to see
	return nil
}
