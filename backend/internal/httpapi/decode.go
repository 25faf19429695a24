package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// decodeJSON reads one JSON object into dst; a malformed body is 400 invalid_request, an
// oversized one 413. It never lets a bad body through as a zero value.
func decodeJSON(c *gin.Context, dst any) error {
	dec := json.NewDecoder(c.Request.Body)
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return errTooLarge
		case errors.Is(err, io.EOF):
			return newError(http.StatusBadRequest, "invalid_request", "The request body is empty; a JSON object is expected.")
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
			return newError(http.StatusBadRequest, "invalid_request", "The request body is not valid JSON.")
		case errors.As(err, &typ) && typ.Field == "":
			return newError(http.StatusBadRequest, "invalid_request", "The request body must be a JSON object.")
		case errors.As(err, &typ):
			return newError(http.StatusBadRequest, "invalid_request", fmt.Sprintf("Field %q has the wrong type.", typ.Field))
		default:
			return newError(http.StatusBadRequest, "invalid_request", "The request body could not be read as JSON.")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return newError(http.StatusBadRequest, "invalid_request", "The request body must hold exactly one JSON object.")
	}
	return nil
}

// required checks that every named field is non-empty.
func required(fields ...[2]string) error {
	for _, f := range fields {
		if f[1] == "" {
			return newError(http.StatusBadRequest, "invalid_request", fmt.Sprintf("Field %q is required.", f[0]))
		}
	}
	return nil
}
