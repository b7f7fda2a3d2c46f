package clickup

// DecodeFast runs the direct task decoder (see taskdecode.go) for the
// external tests, which need the fake and so cannot be in this package.
func DecodeFast(data []byte, out any) bool {
	f, ok := out.(fastDecoder)
	return ok && f.decodeFast(data)
}
