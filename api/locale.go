package api

import "github.com/gsl/rota/locale"

// localeKey marks a message argument that is translated with the message.
func localeKey(k string) locale.Key { return locale.Key(k) }
