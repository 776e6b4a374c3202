// Generated from the OpenAPI document by `pnpm -C ui api-types`; do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process serves HTTP (Postgres and Redis are not queried) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Alive */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: Postgres answers SELECT 1 and Redis answers PING, and the hub is not draining */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready for traffic */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description A check failed or the hub is shutting down; the body names the failed check */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/instance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What kind of server this is, for the web app before login (no authentication) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The instance */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Instance"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with email and password */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LoginRequest"];
                };
            };
            responses: {
                /** @description Access and refresh tokens */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenResponse"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many attempts; retry after the Retry-After header */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for new tokens; the old refresh token is spent
         * @description A token spent less than 10 s ago can be exchanged again, because browser tabs that share the cookie may refresh at once. Presenting a spent token later revokes every token of that login.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RefreshRequest"];
                };
            };
            responses: {
                /** @description New access and refresh tokens */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenResponse"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke the refresh token and every token rotated from the same login */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RefreshRequest"];
                };
            };
            responses: {
                /** @description Logged out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/set-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a password with the token of an invitation or reset link */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SetPasswordRequest"];
                };
            };
            responses: {
                /** @description Password set; existing sessions are revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/validate-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Validate an access token and return its user, roles and accessible sites */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The token is valid */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ValidatedToken"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys that verify access tokens, including the previous key until its tokens expire */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description JSON Web Key Set */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JWKS"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/forgot-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Request a password reset link for an email address; the response is the same whether or not an account uses it
         * @description For an active user this issues a set-password link valid for 24 hours, as POST /api/users/{userId}/reset-password does, but keeps the current password and sessions until the link is used with POST /api/auth/set-password. The hub sends no email: the link is written to the audit log as `auth.password_reset_requested`, where platform admins read it, and so do the org admins of the user's home organization when they may reset the user's password themselves. Limited per client IP and per email address.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ForgotPasswordRequest"];
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ForgotPasswordResponse"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many attempts; retry after the Retry-After header */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's profile: flags, memberships, and every site they can open with their role and allowed actions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The profile */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Profile"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the caller's own name
         * @description Audited as `user.update`, like PATCH /api/users/{userId}. Edges receive the new name through their synced users. A name equal to the current one changes nothing and writes no audit entry.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateProfile"];
                };
            };
            responses: {
                /** @description The updated profile */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Profile"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the caller's own password; every other session ends and the response carries new tokens for this one
         * @description The new password follows the rules of POST /api/auth/set-password. A wrong current password is 403 and counts as a failed login for the login rate limit, so this route cannot be used to guess passwords faster than POST /api/auth/login. On success every refresh token and access token of the user is revoked, unused set-password links are voided, and the response returns a new access token and refresh token (also set as the refresh cookie), so the session that changed the password continues. Edges receive the new password hash through their synced users.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ChangePassword"];
                };
            };
            responses: {
                /** @description New tokens for the current session */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenResponse"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many attempts; retry after the Retry-After header */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the organizations the caller belongs to (every organization for platform admins) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Organizations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrganizationList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an organization (platform admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateOrganization"];
                };
            };
            responses: {
                /** @description The new organization */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Organization"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an organization (any member) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The organization */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Organization"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an organization with its memberships, sites and everything in them (platform admins) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an organization's settings (org admins and up); a request that changes nothing writes no audit entry
         * @description Every tariff of the organization's sites is priced in `currency`, so a new currency is rejected with 409 `currency_in_use` while a site has tariffs in another one. A new currency reaches the edges in the energy_settings shape of every site that has settings.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateOrganization"];
                };
            };
            responses: {
                /** @description The updated organization */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Organization"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/organizations/{organizationId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an organization's members (org admins and up, and site managers of its sites) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Members */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrganizationMemberList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add an existing user to an organization by email (org admins and up); invite new users with POST /api/users */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AddOrganizationMember"];
                };
            };
            responses: {
                /** @description The new member */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrganizationMember"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member and their site access in the organization (org admins and up); the last active org admin cannot be removed */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a member's role (org admins and up); the last active org admin cannot be demoted */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateOrganizationMember"];
                };
            };
            responses: {
                /** @description The updated member */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrganizationMember"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users: every user for platform admins, the members of the organizations they administer for org admins */
        get: {
            parameters: {
                query?: {
                    /** @description Only members of this organization */
                    organizationId?: string;
                    /** @description Case-insensitive substring of the email or name */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Users */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UserList"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Invite a new user: creates the user without a password and returns a set-password link valid for 7 days
         * @description Org admins invite into an organization they administer; platform admins may omit organizationId. The organization becomes the user's home organization, whose org admins may later change the user. Add an existing user to an organization with POST /api/organizations/{organizationId}/members instead.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["InviteUser"];
                };
            };
            responses: {
                /** @description The new user and their set-password link */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UserInvitation"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a user: oneself, anyone for platform admins, members of their organizations for org admins */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a user with their memberships, site access and sessions (platform admins); the last active org admin of an organization and the last active platform admin cannot be deleted */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a user's name, status or flags; disabling ends their sessions and voids their set-password links
         * @description Platform admins change anything but may not disable themselves. Org admins change name and status of users they invited into an organization they administer, who belong to no other organization and are neither platform admins nor developers. Everyone may change their own name. The last active org admin of an organization and the last active platform admin cannot be disabled. A request that changes nothing writes no audit entry.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateUser"];
                };
            };
            responses: {
                /** @description The updated user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/users/{userId}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Clear a user's password, end their sessions and return a set-password link valid for 24 hours
         * @description The old password and every refresh and access token of the user stop working at once. Allowed to platform admins, and to org admins where PATCH /api/users/{userId} would let them change the status.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The set-password link */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PasswordLink"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the sites the caller can open */
        get: {
            parameters: {
                query?: {
                    organizationId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Sites */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a site in an organization (org admins and platform admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateSite"];
                };
            };
            responses: {
                /** @description The new site */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Site"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a site */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The site */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Site"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a site with its hierarchy, devices, access grants and edge nodes (org admins and up) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a site's settings (site managers and up)
         * @description Every tariff of the site's energy settings follows the site's time zone, so a new `timeZone` is rejected with 409 `time_zone_in_use` while the site has tariffs in the old zone: remove them, change the zone, then enter them again in the new zone.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateSite"];
                };
            };
            responses: {
                /** @description The updated site */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Site"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sites/{siteId}/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's effective role at a site and the actions it allows */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Role and actions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SitePermissions"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A site's KPIs, alarm and device counts and edge connection (viewers and up)
         * @description KPIs come from the points with a meter role: power from the newest value of each meter (the live relay or the stored minute rollups, whichever is newer; a stored value older than 5 minutes is stale), energy from the growth of counters since local midnight in the site's time zone. Alarm counts come from the alarms the edge uploaded, device counts from the newest device status event of each device.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The summary */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteSummary"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/site-summaries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The summary of every site the caller can open, ordered by organization name and site name, one page at a time
         * @description KPIs come from the points with a meter role: power from the newest value of each meter (the live relay or the stored minute rollups, whichever is newer; a stored value older than 5 minutes is stale), energy from the growth of counters since local midnight in the site's time zone. Alarm counts come from the alarms the edge uploaded, device counts from the newest device status event of each device. Each entry is the body of GET /api/sites/{siteId}/summary.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only sites of this organization */
                    organizationId?: string;
                    /** @description Sites per page, 1 to 200 */
                    limit?: number;
                    /** @description Sites to skip, for the next page */
                    offset?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Summaries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteSummaryList"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/points/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The newest value, quality and time of every point of a site that the hub has (viewers and up)
         * @description Lists the configured points in device key and point order, then points that have data but no configuration. The value is the live relay's last sample or the last value of the newest stored minute rollup, whichever is newer. Stored rollups keep no quality, so a stored value is `good`, or `stale` once older than 5 minutes; a live sample keeps its quality and also turns `stale` at that age.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Latest values */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LatestPointValues"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/energy-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a site's energy settings and the meters its virtual meters may use
         * @description Returns the defaults (no tariff, no virtual meter, no emission factor, night window 0 to 5 h) while the site has no saved settings. Stored settings that no longer pass the settings schema also return the defaults, with `invalidStoredSettings` saying why; reports use the defaults until a site manager saves the settings again.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteEnergySettingsRecord"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Replace a site's energy settings (site managers and up)
         * @description Every tariff must be priced in the organization's currency and follow the site's time zone. Virtual meter formulas may use the power and energy points listed in `meters` and other virtual meters of the same settings. The edge receives the saved settings in the energy_settings shape. A request that changes nothing writes no audit entry.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SiteEnergySettings"];
                };
            };
            responses: {
                /** @description The saved settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteEnergySettingsRecord"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `currency_mismatch`, `time_zone_mismatch` or `invalid_virtual_meter` (unknown meter, unit mismatch, cycle); `parameter` names the field, such as `virtualMeters[0].formula` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a site's buildings, areas and systems as a flat list with parent ids */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Nodes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteNodeList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a building, area or system to a site (site managers and up)
         * @description Nesting rule: a building sits at the top level; an area at the top level or under a building or an area; a system anywhere.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateSiteNode"];
                };
            };
            responses: {
                /** @description The new node */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteNode"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/site-nodes/{nodeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a node with its descendants (site managers and up); rejected with 409 while devices are attached to any of them */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    nodeId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Rename a node or move it under another parent in the same site (site managers and up)
         * @description Nesting rule: a building sits at the top level; an area at the top level or under a building or an area; a system anywhere. A move under the node itself or one of its descendants is rejected with 409.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    nodeId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateSiteNode"];
                };
            };
            responses: {
                /** @description The updated node */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteNode"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sites/{siteId}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a site's explicit access grants (site managers and up) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Grants */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteAccessList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/access/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant a member of the site's organization a role at the site, or change it (site managers and up)
         * @description Site managers grant viewer and operator; org admins and platform admins grant all three roles. A site manager changes neither their own grant nor another site manager's.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PutSiteAccess"];
                };
            };
            responses: {
                /** @description The grant */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteAccessGrant"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Revoke a user's access grant at a site (site managers and up; a site manager grant only by org admins) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a site's devices by key, without their points */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Devices */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a device with its points to a site (site managers and up) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DeviceBody"];
                };
            };
            responses: {
                /** @description The new device */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceRecord"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices/{deviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a device with its points in the shared device model
         * @description Callers below site manager at the device's site get `***` in place of any password in a connection URL.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deviceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The device */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceRecord"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Replace a device and all its points; the driver may change (site managers and up)
         * @description An omitted nodeId detaches the device from its node, as the whole device is replaced.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deviceId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DeviceBody"];
                };
            };
            responses: {
                /** @description The updated device */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceRecord"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Delete a device and its points (site managers and up) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deviceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices/{deviceId}/points": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a device's points in the shared model of its driver */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deviceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Points */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PointList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices/{deviceId}/points/{pointKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Add or replace one point of a device, in the point schema of the device's driver (site managers and up)
         * @description A new point goes after the last one, and a replaced point keeps its position.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deviceId: string;
                    pointKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PointBody"];
                };
            };
            responses: {
                /** @description The replaced point */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Point"];
                    };
                };
                /** @description The new point */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Point"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Delete one point of a device (site managers and up) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deviceId: string;
                    pointKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/edge-nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a site's edge nodes (site managers and up) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Edge nodes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeNodeList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Register an edge node at a site and issue its pairing code (site managers and up)
         * @description The pairing code is in this response only. It is valid for 24 hours and works once, with `edge-node pair`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateEdgeNode"];
                };
            };
            responses: {
                /** @description The new edge node and its pairing code */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeNodePairingCode"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge-nodes/{edgeNodeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an edge node (site managers and up) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    edgeNodeId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge node */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeNode"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an edge node, which ends its key and pairing code (site managers and up) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    edgeNodeId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Rename an edge node (site managers and up) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    edgeNodeId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateEdgeNode"];
                };
            };
            responses: {
                /** @description The updated edge node */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeNode"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/edge-nodes/{edgeNodeId}/pairing-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a new pairing code for an edge node, which ends the previous code at once (site managers and up)
         * @description The code is in this response only. Pairing with it replaces the key of an edge that is already paired and clears a revocation.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    edgeNodeId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge node and its new pairing code */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeNodePairingCode"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge-nodes/{edgeNodeId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an edge node, so the hub rejects its requests until it pairs again (site managers and up)
         * @description Also ends a pending pairing code, so only a code issued after the revocation can restore the node.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    edgeNodeId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The revoked edge node */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeNode"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge/pair": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pair an edge node with a one-time pairing code and register its public key (no login)
         * @description Consumes the code, stores the ES256 public key and returns the site the edge belongs to. Attempts are limited to 20 per client IP in 15 minutes.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                        publicKey: {
                            /** @enum {string} */
                            kty: "EC";
                            /** @enum {string} */
                            crv: "P-256";
                            x: string;
                            y: string;
                            /** @enum {string} */
                            alg?: "ES256";
                            /** @enum {string} */
                            use?: "sig";
                            kid?: string;
                        };
                        softwareVersion: string;
                        hostname?: string;
                    };
                };
            };
            responses: {
                /** @description The edge node and site the edge is now bound to */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            edgeNodeId: string;
                            organizationId: string;
                            siteId: string;
                            siteName: string;
                            timeZone: string;
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many attempts; retry after the Retry-After header */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the calling edge node and its site, and record that it called (edge assertion)
         * @description The bearer token is an ES256 edge assertion signed with the key registered at pairing, not a user access token. A revoked edge gets 401 with code `edge_revoked`.
         */
        get: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Software version of the edge; the hub stores it as the last reported version. */
                    "x-edge-software-version"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge node and its site */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            edgeNodeId: string;
                            organizationId: string;
                            siteId: string;
                            siteName: string;
                            timeZone: string;
                            name: string;
                            softwareVersion: string | null;
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge/releases/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the signed release manifest of a channel (edge assertion)
         * @description Returns `<channel>.manifest.json` from RELEASES_DIR as the offline release tool signed it. The hub does not sign or check signatures: edges verify them against their own trusted keys. 404 `no_release` when nothing is published on the channel or RELEASES_DIR is unset.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel: "stable" | "beta";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The signed manifest */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            manifest: {
                                /** @enum {number} */
                                schema: 1;
                                /** @enum {string} */
                                channel: "stable" | "beta";
                                version: string;
                                protocolVersion: number;
                                /** Format: date-time */
                                releasedAt: string;
                                artifacts: {
                                    /** @enum {string} */
                                    arch: "x64" | "arm64";
                                    file: string;
                                    size: number;
                                    sha256: string;
                                }[];
                                notes?: string;
                            };
                            signatures: {
                                keyId: string;
                                signature: string;
                            }[];
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The edge speaks an edge-hub protocol version this hub does not serve */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge/releases/{channel}/artifacts/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an artifact of a channel's current release (edge assertion)
         * @description Streams a file from RELEASES_DIR. Only files the channel manifest names are served; any other name gets 404, and a name with a path gets 400.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel: "stable" | "beta";
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The artifact */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": string;
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The edge speaks an edge-hub protocol version this hub does not serve */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge/shapes/{shape}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sync a shape of the edge's site over the Electric shape protocol (edge assertion)
         * @description Serves `@electric-sql/client` ShapeStream requests. The hub chooses the rows from the edge credential: the shape of the edge's own site (or the hub signing keys for `jwks`). `offset=-1` returns the snapshot; later requests send the `electric-offset` and `electric-handle` of the previous response. `live=true` holds the request until a change commits or the hold time passes. A 409 with `must-refetch` and a new `electric-handle` means the client must drop its rows and start again at `offset=-1`.
         */
        get: {
            parameters: {
                query: {
                    /** @description -1 for the whole shape, else the electric-offset of the previous response */
                    offset: string;
                    /** @description The electric-handle of the previous response; required unless offset is -1 */
                    handle?: string;
                    /** @description true makes the hub wait for a change before it responds, up to the hold time */
                    live?: "true" | "false";
                    /** @description The electric-cursor of the previous live response */
                    cursor?: string;
                };
                header?: never;
                path: {
                    /** @description Shape to read; the site comes from the edge credential */
                    shape: "site" | "site_nodes" | "devices" | "points" | "alarm_rules" | "site_users" | "jwks" | "energy_settings";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Change messages, ending with up-to-date when the client has everything */
                200: {
                    headers: {
                        /** @description Handle of the stream; send it back as `handle` */
                        "electric-handle"?: string;
                        /** @description Offset of the last message; send it back as `offset` */
                        "electric-offset"?: string;
                        /** @description JSON column types (non-live responses) */
                        "electric-schema"?: string;
                        /** @description Cursor of live responses; send it back as `cursor` */
                        "electric-cursor"?: string;
                        /** @description Present when the body ends with up-to-date */
                        "electric-up-to-date"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ShapeMessages"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The handle is no longer current: must-refetch, with the new handle in electric-handle */
                409: {
                    headers: {
                        /** @description Handle of the stream; send it back as `handle` */
                        "electric-handle"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ShapeMessages"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit log, newest first, one page at a time
         * @description Platform admins see every entry, including those of no organization. Org admins see the entries of the organizations they administer, and site managers those of the sites they manage. Anyone else gets 403. Filters narrow that set and never widen it.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Entries of this organization */
                    organizationId?: string;
                    /** @description Entries of this site */
                    siteId?: string;
                    /** @description Entries made by this user id, edge node id or `cli` */
                    actorId?: string;
                    /** @description Exact action, or a prefix followed by `*` */
                    action?: string;
                    targetType?: string;
                    targetId?: string;
                    /** @description Entries at or after this time */
                    from?: string;
                    /** @description Entries before this time */
                    to?: string;
                    /** @description Entries per page, 1 to 500 */
                    limit?: number;
                    /** @description The nextCursor of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page of entries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuditPage"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the matching audit entries as CSV, newest first, at most 100000 rows
         * @description Platform admins see every entry, including those of no organization. Org admins see the entries of the organizations they administer, and site managers those of the sites they manage. Anyone else gets 403. Filters narrow that set and never widen it. The CSV follows RFC 4180 with a header row, and before and after are JSON. A cell that starts with =, +, -, @, tab or carriage return gets a leading single quote, so spreadsheet programs do not run it as a formula. An instance runs at most 2 exports at once and one per user. Beyond that it answers 429 with Retry-After.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Entries of this organization */
                    organizationId?: string;
                    /** @description Entries of this site */
                    siteId?: string;
                    /** @description Entries made by this user id, edge node id or `cli` */
                    actorId?: string;
                    /** @description Exact action, or a prefix followed by `*` */
                    action?: string;
                    targetType?: string;
                    targetId?: string;
                    /** @description Entries at or after this time */
                    from?: string;
                    /** @description Entries before this time */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The CSV file */
                200: {
                    headers: {
                        /** @description Present when more than 100000 entries matched and the oldest were left out */
                        "X-Export-Truncated"?: "true";
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many attempts; retry after the Retry-After header */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/edge/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a batch of rollups and events from an edge (edge assertion)
         * @description The hub stores the whole batch in one transaction and answers only after commit. Rollups are upserted on (site, point, resolution, bucket start) and replace a stored row only with a higher revision, and events are deduplicated by id, so a resend is harmless. Every row goes to the site of the edge that signed the assertion. A body over 4194304 bytes gets 413 and must be split; a batch holds at most 20000 rollup rows and 5000 events. An edge may have 2 batches in flight; one more gets 429 `upload_in_progress`, and a busy hub 503 `hub_busy`, both with Retry-After: 1. An unreachable database gives 503 `database_unavailable` with Retry-After: 5.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        batchId: string;
                        sentAt: number;
                        backlog: {
                            rollups: number;
                            events: number;
                            oldestUnsentAt: number | null;
                        };
                        /** @default [] */
                        events?: {
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            kind: "audit" | "device_status" | "alarm" | "control" | "point_catalog";
                            at: number;
                            payload: {
                                [key: string]: unknown;
                            };
                        }[];
                        /** @default [] */
                        rollups?: {
                            point: string;
                            /** @enum {string} */
                            resolution: "1m" | "15m" | "1h" | "1d";
                            rows: [
                                number,
                                number,
                                number,
                                number | null,
                                number | null,
                                number | null,
                                number | null,
                                number | null,
                                number | null,
                                0 | 1,
                                number
                            ][];
                        }[];
                    };
                };
            };
            responses: {
                /** @description The batch is committed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            batchId: string;
                            eventsStored: number;
                            eventsDuplicate: number;
                            rollupsStored: number;
                            rollupsIgnored: number;
                            receivedAt: number;
                            clockSkewMs: number;
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many attempts; retry after the Retry-After header */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A backing service is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/telemetry/historical": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read uploaded rollup buckets of points of a site
         * @description Viewers and above of the site may read it; a site the caller cannot open is not found (404). Buckets whose start lies in [from, to) are returned, by point and then time, with times in epoch ms UTC (ISO 8601 in the CSV). `avg` is sum / count. `auto` picks the finest resolution with at most 2000 buckets per point (1m up to about 33 h, 15m up to about 20 days, 1h up to about 83 days, else 1d), and fewer when the points together would exceed the row limit. At most 100 points. At most 100000 buckets in all: a range that could hold more gets 400.
         */
        get: {
            parameters: {
                query: {
                    /** @description Site id */
                    site: string;
                    /** @description Comma-separated point ids of the edge (`device.point`) */
                    points: string;
                    /** @description Epoch milliseconds UTC, or ISO 8601 with an offset */
                    from: string;
                    /** @description Epoch milliseconds UTC, or ISO 8601 with an offset */
                    to: string;
                    /** @description `auto` picks the finest resolution with at most 2,000 buckets per point over the range */
                    resolution?: "1m" | "15m" | "1h" | "1d" | "auto";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One series per requested point */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TelemetryHistory"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/telemetry/historical.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export uploaded rollup buckets of points of a site as CSV
         * @description Viewers and above of the site may read it; a site the caller cannot open is not found (404). Buckets whose start lies in [from, to) are returned, by point and then time, with times in epoch ms UTC (ISO 8601 in the CSV). `avg` is sum / count. `auto` picks the finest resolution with at most 2000 buckets per point (1m up to about 33 h, 15m up to about 20 days, 1h up to about 83 days, else 1d), and fewer when the points together would exceed the row limit. At most 100 points. At most 1000000 buckets in all. The CSV follows RFC 4180 with a header row; a cell that starts with =, +, -, @, tab or carriage return gets a leading single quote, so spreadsheet programs do not run it as a formula.
         */
        get: {
            parameters: {
                query: {
                    /** @description Site id */
                    site: string;
                    /** @description Comma-separated point ids of the edge (`device.point`) */
                    points: string;
                    /** @description Epoch milliseconds UTC, or ISO 8601 with an offset */
                    from: string;
                    /** @description Epoch milliseconds UTC, or ISO 8601 with an offset */
                    to: string;
                    /** @description `auto` picks the finest resolution with at most 2,000 buckets per point over the range */
                    resolution?: "1m" | "15m" | "1h" | "1d" | "auto";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The CSV file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/energy/sites/{siteId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A site's energy report for a period, with the previous period for comparison (viewers and up)
         * @description `date` is a local date (YYYY-MM-DD) in the site's time zone inside the period; a custom period takes `from` and `to` as local days, both included, and at most 366 days, and needs no `date`. Dates have years from 1000 to 9999. Times in the body are epoch ms UTC and energies Wh. Reports over more than 31 days read hourly rollups, shorter ones 15-minute rollups. A report that could read more than 1000000 rollup rows gets 400. A site the caller cannot open is not found (404).
         */
        get: {
            parameters: {
                query: {
                    period: "day" | "week" | "month" | "year" | "custom";
                    from?: string;
                    to?: string;
                    resolution?: "15m" | "1h" | "1d" | "1mo";
                    date?: string;
                };
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            siteId: string;
                            siteName: string;
                            timeZone: string;
                            period: {
                                /** @enum {string} */
                                kind: "day" | "week" | "month" | "year" | "custom";
                                start: number;
                                end: number;
                                from: string;
                                to: string;
                                hours: number;
                            };
                            /** @enum {string} */
                            resolution: "15m" | "1h" | "1d" | "1mo";
                            /** @enum {string} */
                            sourceResolution: "15m" | "1h";
                            totals: {
                                gridImportWh: number;
                                gridExportWh: number;
                                pvWh: number;
                                batteryChargeWh: number;
                                batteryDischargeWh: number;
                                evWh: number;
                                consumptionWh: number;
                            };
                            /** @enum {string|null} */
                            consumptionSource: "meter" | "balance" | "nodes" | null;
                            missingFlows: ("gridImport" | "gridExport" | "pv" | "batteryCharge" | "batteryDischarge" | "ev" | "consumption")[];
                            buckets: {
                                start: number;
                                end: number;
                                gridImportWh: number;
                                gridExportWh: number;
                                pvWh: number;
                                batteryChargeWh: number;
                                batteryDischargeWh: number;
                                evWh: number;
                                consumptionWh: number;
                                netCost: number | null;
                            }[];
                            meters: {
                                id: string;
                                device: string;
                                name: string;
                                /** @enum {string|null} */
                                role: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption" | null;
                                /** @enum {string} */
                                unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
                                nodeId: string | null;
                                /** @enum {string} */
                                method: "counter" | "power-integration" | "mixed" | "none";
                                energyWh: number;
                                reverseEnergyWh: number;
                                coverage: number;
                                resets: number;
                                gaps: {
                                    from: number;
                                    to: number;
                                }[];
                                unattributedWh: number | null;
                                cost: number | null;
                            }[];
                            virtualMeters: {
                                id: string;
                                name: string;
                                unit: string;
                                formula: string;
                                total: number | null;
                                values: (number | null)[];
                                missingMeterIds: string[];
                            }[];
                            hierarchy: {
                                siteConsumptionWh: number;
                                assignedWh: number;
                                unassignedWh: number;
                                nodes: {
                                    id: string;
                                    parentId: string | null;
                                    /** @enum {string} */
                                    kind: "building" | "area" | "system";
                                    name: string;
                                    meterIds: string[];
                                    meteredWh: number | null;
                                    childrenWh: number;
                                    totalWh: number;
                                    unassignedWh: number;
                                }[];
                            };
                            cost: {
                                currency: string;
                                importCost: number;
                                exportCredit: number;
                                demandCharge: number | null;
                                net: number;
                                byTariffPeriod: {
                                    name: string;
                                    importWh: number;
                                    importCost: number;
                                }[];
                                unpricedImportWh: number;
                            } | null;
                            /** @enum {string} */
                            costStatus: "priced" | "no-tariff" | "currency-mismatch" | "no-grid-data";
                            peakDemand: {
                                start: number;
                                end: number;
                                powerKw: number;
                            } | null;
                            monthlyDemand: {
                                month: string;
                                start: number;
                                end: number;
                                peak: {
                                    start: number;
                                    end: number;
                                    powerKw: number;
                                } | null;
                                demandCharge: number | null;
                            }[];
                            indicators: {
                                totals: {
                                    gridImportWh: number;
                                    gridExportWh: number;
                                    pvWh: number;
                                    batteryChargeWh: number;
                                    batteryDischargeWh: number;
                                    consumptionWh: number;
                                };
                                pvSelfConsumptionRatio: number | null;
                                selfSufficiencyRatio: number | null;
                                loadProfile: {
                                    byHourW: (number | null)[];
                                    byWeekdayW: (number | null)[];
                                };
                                baseload: {
                                    powerW: number;
                                    start: number;
                                    end: number;
                                } | null;
                                co2: {
                                    emissionFactorGPerKwh: number;
                                    gridImportKg: number;
                                    avoidedByPvKg?: number;
                                } | null;
                            };
                            previous: {
                                period: {
                                    /** @enum {string} */
                                    kind: "day" | "week" | "month" | "year" | "custom";
                                    start: number;
                                    end: number;
                                    from: string;
                                    to: string;
                                    hours: number;
                                };
                                totals: {
                                    gridImportWh: number;
                                    gridExportWh: number;
                                    pvWh: number;
                                    batteryChargeWh: number;
                                    batteryDischargeWh: number;
                                    evWh: number;
                                    consumptionWh: number;
                                };
                                netCost: number | null;
                                comparedUntil?: number;
                            } | null;
                            warnings: string[];
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/energy/sites/{siteId}/report.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One table of a site's energy report as CSV (operators and up)
         * @description `date` is a local date (YYYY-MM-DD) in the site's time zone inside the period; a custom period takes `from` and `to` as local days, both included, and at most 366 days, and needs no `date`. Dates have years from 1000 to 9999. Times in the body are epoch ms UTC and energies Wh. Reports over more than 31 days read hourly rollups, shorter ones 15-minute rollups. A report that could read more than 1000000 rollup rows gets 400. Viewers get 403. The file is named after the site, the table and the period. The CSV follows RFC 4180 with a header row, and a text cell that starts with =, +, -, @, tab or carriage return gets a leading single quote.
         */
        get: {
            parameters: {
                query: {
                    period: "day" | "week" | "month" | "year" | "custom";
                    from?: string;
                    to?: string;
                    resolution?: "15m" | "1h" | "1d" | "1mo";
                    date?: string;
                    table: "buckets" | "meters" | "hierarchy" | "cost" | "virtual-meters" | "load-profile" | "indicators";
                };
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The CSV file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/energy/organizations/{organizationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Energy totals, cost and indicators of every site of an organization for a period (org admins and platform admins)
         * @description Each site's period is resolved in the site's own time zone from the same local `date`, so `2026-03-29` is that day at every site. Sites without meters or data are listed with zero totals. With `.csv` after the organization id, the same view is returned as a CSV file. Members who are not org admins get 403, callers outside the organization 404. At most 50 sites: an organization with more gets 400. `resolution` applies to site reports only and gets 400 here.
         */
        get: {
            parameters: {
                query: {
                    period: "day" | "week" | "month" | "year" | "custom";
                    from?: string;
                    to?: string;
                    resolution?: "15m" | "1h" | "1d" | "1mo";
                    date?: string;
                };
                header?: never;
                path: {
                    /** @description Organization id, followed by `.csv` for the CSV file */
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The view, as JSON or, for `{organizationId}.csv`, as CSV */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            organizationId: string;
                            currency: string;
                            /** @enum {string} */
                            periodKind: "day" | "week" | "month" | "year" | "custom";
                            sites: {
                                siteId: string;
                                siteName: string;
                                timeZone: string;
                                period: {
                                    /** @enum {string} */
                                    kind: "day" | "week" | "month" | "year" | "custom";
                                    start: number;
                                    end: number;
                                    from: string;
                                    to: string;
                                    hours: number;
                                };
                                totals: {
                                    gridImportWh: number;
                                    gridExportWh: number;
                                    pvWh: number;
                                    batteryChargeWh: number;
                                    batteryDischargeWh: number;
                                    evWh: number;
                                    consumptionWh: number;
                                };
                                netCost: number | null;
                                peakDemand: {
                                    start: number;
                                    end: number;
                                    powerKw: number;
                                } | null;
                                selfSufficiencyRatio: number | null;
                                pvSelfConsumptionRatio: number | null;
                                co2Kg: number | null;
                            }[];
                            totals: {
                                gridImportWh: number;
                                gridExportWh: number;
                                pvWh: number;
                                batteryChargeWh: number;
                                batteryDischargeWh: number;
                                evWh: number;
                                consumptionWh: number;
                                netCost: number | null;
                                co2Kg: number | null;
                            };
                        };
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/sync-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The hub's view of a site's uploads and live uplink (viewers and up)
         * @description Times are epoch ms UTC, null until the event happened. The backlog and `oldestUnsentAt` are what the edge reported with its last batch, `lagMs` is the age of that oldest unsent item (0 when nothing waits), and `clockSkewMs` is the hub time at the arrival of the last batch minus the edge's send time; `clockSkewFlagged` is true when its magnitude exceeded the hub's CLOCK_SKEW_THRESHOLD_MS. `liveConnected` is true while the edge has its live uplink open on some hub instance.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Sync status */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            siteId: string | null;
                            lastContactAt: number | null;
                            lastAckAt: number | null;
                            backlog: {
                                rollups: number;
                                events: number;
                            };
                            oldestUnsentAt: number | null;
                            lagMs: number;
                            clockSkewMs: number | null;
                            clockSkewFlagged: boolean;
                            liveConnected: boolean;
                            protocolError?: string;
                        };
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sync-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sync status of every site the caller can open
         * @description Each entry is the body of `GET /api/sites/{siteId}/sync-status`, ordered by site id.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Sync statuses */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sites: {
                                siteId: string | null;
                                lastContactAt: number | null;
                                lastAckAt: number | null;
                                backlog: {
                                    rollups: number;
                                    events: number;
                                };
                                oldestUnsentAt: number | null;
                                lagMs: number;
                                clockSkewMs: number | null;
                                clockSkewFlagged: boolean;
                                liveConnected: boolean;
                                protocolError?: string;
                            }[];
                        };
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/alarm-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a site's alarm rules
         * @description Site managers and above of the site. The edge receives the rules with the alarm_rules shape and evaluates them; the hub never does. `point` names a point of the site as `device.point`; `condition` is one of the alarm conditions (high, high_high, low, low_low, rate_of_change, stale, device_offline, state).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The rules, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlarmRuleList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an alarm rule to a site
         * @description Site managers and above of the site. The edge receives the rules with the alarm_rules shape and evaluates them; the hub never does. `point` names a point of the site as `device.point`; `condition` is one of the alarm conditions (high, high_high, low, low_low, rate_of_change, stale, device_offline, state).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AlarmRuleBody"];
                };
            };
            responses: {
                /** @description The new rule */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlarmRule"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/alarm-rules/{ruleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an alarm rule
         * @description Site managers and above of the site. The edge receives the rules with the alarm_rules shape and evaluates them; the hub never does. `point` names a point of the site as `device.point`; `condition` is one of the alarm conditions (high, high_high, low, low_low, rate_of_change, stale, device_offline, state). The history of the rule's alarm stays.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    ruleId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change fields of an alarm rule
         * @description Site managers and above of the site. The edge receives the rules with the alarm_rules shape and evaluates them; the hub never does. `point` names a point of the site as `device.point`; `condition` is one of the alarm conditions (high, high_high, low, low_low, rate_of_change, stale, device_offline, state). Fields left out keep their value; a new condition replaces the old one whole.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    ruleId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AlarmRulePatch"];
                };
            };
            responses: {
                /** @description The changed rule */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlarmRule"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sites/{siteId}/alarms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a site's alarms that are not normal
         * @description Viewers and above of the site. Alarms that are active, cleared but unacknowledged, shelved or out of service, as the edge last reported them and with acknowledgements made on the hub, most severe first and then newest first. Times are epoch ms UTC.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The alarms */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ActiveAlarms"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/alarms/{ruleId}/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge, shelve, unshelve, comment on, or take out of or back into service an alarm
         * @description Operators and above for acknowledge, shelve, unshelve and comment; site managers and above for remove-from-service and return-to-service. The hub records the request and sends it to the edge, which applies it and uploads the transition; the request's result appears once the edge answered. `acknowledge` needs the `occurrence` the user saw and also sets the hub's acknowledgement at once, unless the hub has one for that occurrence: then the answer says who acknowledged first and the request is still recorded for the history. `shelve` needs `shelvedUntil`, at most 7 days ahead. An occurrence that is over gets 409 `stale_occurrence`, and an action that does not apply to the state 409 `invalid_state`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    ruleId: string;
                    action: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AlarmActionBody"];
                };
            };
            responses: {
                /** @description Recorded for delivery to the edge */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlarmActionAccepted"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change conflicts with existing data */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alarms/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the alarm history of one site or of every site the caller may see
         * @description Viewers and above. Transitions as the edges uploaded them, newest first by the edge time. `state` is the state after the transition; `from` and `to` (epoch ms or ISO 8601 with an offset) bound the edge time, `from` included. With `siteId` the caller needs the right at that site (404 for a site they cannot open); without it the history covers every site where their role allows it: the sites of the organizations they administer and the sites granted to them, and for platform admins every site.
         */
        get: {
            parameters: {
                query?: {
                    device?: string;
                    point?: string;
                    ruleId?: string;
                    severity?: "info" | "warning" | "critical";
                    state?: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
                    action?: "raise" | "clear" | "acknowledge" | "shelve" | "unshelve" | "shelve_expired" | "remove_from_service" | "return_to_service" | "comment";
                    from?: string;
                    to?: string;
                    limit?: number;
                    /** @description One site; without it, every site the caller may see */
                    siteId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The transitions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlarmHistory"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alarms/history.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the alarm history as CSV, newest first, at most 100000 rows
         * @description Operators and above (report.export). Transitions as the edges uploaded them, newest first by the edge time. `state` is the state after the transition; `from` and `to` (epoch ms or ISO 8601 with an offset) bound the edge time, `from` included. With `siteId` the caller needs the right at that site (404 for a site they cannot open); without it the history covers every site where their role allows it: the sites of the organizations they administer and the sites granted to them, and for platform admins every site. The CSV follows RFC 4180 with a header row; a cell that starts with =, +, -, @, tab or carriage return gets a leading single quote, so spreadsheet programs do not run it as a formula.
         */
        get: {
            parameters: {
                query?: {
                    device?: string;
                    point?: string;
                    ruleId?: string;
                    severity?: "info" | "warning" | "critical";
                    state?: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
                    action?: "raise" | "clear" | "acknowledge" | "shelve" | "unshelve" | "shelve_expired" | "remove_from_service" | "return_to_service" | "comment";
                    from?: string;
                    to?: string;
                    limit?: number;
                    /** @description One site; without it, every site the caller may see */
                    siteId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The CSV file */
                200: {
                    headers: {
                        /** @description Present when more transitions matched than `limit` and the oldest were left out */
                        "X-Export-Truncated"?: "true";
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an organization's alarm webhooks (org admins and up) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Webhooks, without their secrets */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookList"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an alarm webhook and create its signing secret (org admins and up)
         * @description The secret is in this response only. The URL must be https and public unless the hub sets WEBHOOK_ALLOW_PRIVATE=true.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateWebhook"];
                };
            };
            responses: {
                /** @description The new webhook and its secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookWithSecret"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an alarm webhook (org admins and up) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The webhook, without its secret */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an alarm webhook and its delivery history (org admins and up) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an alarm webhook (org admins and up)
         * @description Disabling a webhook gives up the deliveries still queued for it.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateWebhook"];
                };
            };
            responses: {
                /** @description The updated webhook */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/organizations/{organizationId}/webhooks/{webhookId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a webhook's signing secret (org admins and up)
         * @description The new secret signs every request from the commit on, retries of older deliveries included; it is in this response only.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The webhook and its new secret */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookWithSecret"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}/webhooks/{webhookId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a signed `webhook.test` event to a webhook now, once, and return the outcome (org admins and up)
         * @description Works on a disabled webhook too. The attempt is stored in the delivery history; a failed test is not retried.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    organizationId: string;
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The test delivery, delivered or failed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookDelivery"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations/{organizationId}/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a webhook's deliveries, newest first (org admins and up) */
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "delivered" | "failed";
                    limit?: number;
                };
                header?: never;
                path: {
                    organizationId: string;
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookDeliveryList"];
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource, or the caller may not see it */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/points/{pointId}/control": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write a value to a point of the site's edge node, as a lease
         * @description The hub checks that the caller may control devices at the site (site managers and up; operators where the site allows operator control), then relays the command to the edge node over its uplink. The edge checks the right again with its own synced users, checks the limits, writes, reads back and answers with the result. A command is never queued: without an uplink the answer is 503 `edge_offline`, and without an answer within 15 s it is 504 `edge_timeout`. Every command, refused ones included, is an audit entry. A remote write holds for `leaseS` seconds (the point's default when absent); then the edge restores the point's safe value or releases it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    pointId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        value: number | boolean | string;
                        leaseS?: number;
                        confirmationToken?: string;
                    };
                };
            };
            responses: {
                /** @description The edge ran the command and read the value back */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_permitted`: the hub or the edge denied the user the right to control devices at the site */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description No such site, or the caller may not see it (error body); or `unknown_point` from the edge (ControlResult body) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `not_writable`, or `held_locally` (an on-site write holds the point) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `wrong_type`, `out_of_limits` or `step_too_large`; `limit` names the limit crossed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `confirmation_required`: send the returned `confirmationToken` with the same value to confirm */
                428: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `rate_limited`: the point was written too recently; `retryAt` says when the next write may be made */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `device_error` or `not_confirmed`: the device refused the write or did not read back the value */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `edge_offline`: no uplink from the edge node; the command was not sent and is not queued */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `edge_timeout`: no result in time; the outcome is unknown, so check the point */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sites/{siteId}/points/{pointId}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the remote command of a point of the site's edge node
         * @description The hub checks that the caller may control devices at the site (site managers and up; operators where the site allows operator control), then relays the command to the edge node over its uplink. The edge checks the right again with its own synced users, checks the limits, writes, reads back and answers with the result. A command is never queued: without an uplink the answer is 503 `edge_offline`, and without an answer within 15 s it is 504 `edge_timeout`. Every command, refused ones included, is an audit entry. The edge applies the point's release: it writes the safe value or, for BACnet, relinquishes its priority.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    siteId: string;
                    pointId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge ran the command and read the value back */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_permitted`: the hub or the edge denied the user the right to control devices at the site */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description No such site, or the caller may not see it (error body); or `unknown_point` from the edge (ControlResult body) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `not_writable`, or `held_locally` (an on-site write holds the point) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `wrong_type`, `out_of_limits` or `step_too_large`; `limit` names the limit crossed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `confirmation_required`: send the returned `confirmationToken` with the same value to confirm */
                428: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `rate_limited`: the point was written too recently; `retryAt` says when the next write may be made */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `device_error` or `not_confirmed`: the device refused the write or did not read back the value */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `edge_offline`: no uplink from the edge node; the command was not sent and is not queued */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
                /** @description `edge_timeout`: no result in time; the outcome is unknown, so check the point */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            point: string;
                            /** @enum {string} */
                            command: "write" | "release";
                            previousValue: number | boolean | string | null;
                            value: number | boolean | string | null;
                            readBack: number | boolean | string | null;
                            lease: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            } | null;
                            auditId?: number;
                        } | {
                            /** @enum {boolean} */
                            ok: false;
                            point: string;
                            /** @enum {string} */
                            code: "edge_offline" | "edge_timeout" | "not_permitted" | "unknown_point" | "not_writable" | "wrong_type" | "out_of_limits" | "step_too_large" | "rate_limited" | "confirmation_required" | "held_locally" | "device_error" | "not_confirmed";
                            message: string;
                            limit?: {
                                name: string;
                                value: number;
                            };
                            confirmationToken?: string;
                            confirmationExpiresAt?: number;
                            retryAt?: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI 3.1 document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OpenAPI document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Missing, invalid or expired credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may see the resource but not do this */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Swagger UI for this API, with its assets served by the hub itself */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/docs/swagger-ui-dist/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A Swagger UI asset from the installed swagger-ui-dist package */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: "swagger-ui.css" | "swagger-ui-bundle.js" | "swagger-ui-standalone-preset.js" | "favicon-16x16.png" | "favicon-32x32.png";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The asset */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request: the body or a parameter failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not_ready" | "draining";
            checks: {
                /** @enum {string} */
                postgres: "ok" | "failed" | "skipped";
                /** @enum {string} */
                redis: "ok" | "failed" | "skipped";
            };
            /** @description Error message of each failed check, without credentials or connection URLs */
            errors?: {
                postgres?: string;
                redis?: string;
            };
        };
        Instance: {
            /** @enum {string} */
            mode: "cloud";
            /** @example 0.1.0 */
            version: string;
            /** @example https://ems.example.com */
            publicUrl: string;
        };
        TokenResponse: {
            accessToken: string;
            /** @enum {string} */
            tokenType: "Bearer";
            expiresIn: number;
            refreshToken: string;
            user: {
                id: string;
                email: string;
                name: string;
            };
        };
        Error: {
            error: {
                /** @example not_found */
                code: string;
                message: string;
                parameter?: string;
                issues?: {
                    path: string;
                    message: string;
                }[];
            };
        };
        LoginRequest: {
            /**
             * Format: email
             * @example ana@example.com
             */
            email: string;
            password: string;
        };
        RefreshRequest: {
            refreshToken?: string;
        };
        SetPasswordRequest: {
            token: string;
            password: string;
        };
        ValidatedToken: {
            user: {
                id: string;
                email: string;
                name: string;
                platformAdmin: boolean;
                developer: boolean;
                permissionsVersion: number;
            };
            organizations: {
                id: string;
                name: string;
                /** @enum {string} */
                role: "org_admin" | "member";
            }[];
            sites: {
                id: string;
                organizationId: string;
                name: string;
                /** @enum {string} */
                role: "viewer" | "operator" | "site_manager" | "org_admin" | "platform_admin";
            }[];
            allSites: boolean;
            /** @description Expiry of the validated token, epoch seconds */
            tokenExpiresAt: number;
        };
        JWKS: {
            keys: {
                [key: string]: unknown;
            }[];
        };
        ForgotPasswordResponse: {
            /** @enum {string} */
            status: "accepted";
            message: string;
        };
        ForgotPasswordRequest: {
            /**
             * Format: email
             * @example ana@example.com
             */
            email: string;
        };
        Profile: {
            id: string;
            email: string;
            name: string;
            platformAdmin: boolean;
            developer: boolean;
            permissionsVersion: number;
            memberships: {
                organizationId: string;
                organizationName: string;
                /** @enum {string} */
                role: "org_admin" | "member";
            }[];
            sites: {
                id: string;
                organizationId: string;
                name: string;
                /** @enum {string} */
                role: "viewer" | "operator" | "site_manager" | "org_admin" | "platform_admin";
                actions: ("dashboard.view" | "report.export" | "alarm.acknowledge" | "device.control" | "site.manage" | "site_user.manage" | "organization.manage" | "org_user.manage" | "organization.cross_access" | "admin_pages.view" | "api_docs.view" | "test_data.manage")[];
            }[];
            allSites: boolean;
            globalActions: ("dashboard.view" | "report.export" | "alarm.acknowledge" | "device.control" | "site.manage" | "site_user.manage" | "organization.manage" | "org_user.manage" | "organization.cross_access" | "admin_pages.view" | "api_docs.view" | "test_data.manage")[];
        };
        UpdateProfile: {
            name: string;
        };
        ChangePassword: {
            currentPassword: string;
            newPassword: string;
        };
        OrganizationList: {
            organizations: components["schemas"]["Organization"][];
        };
        Organization: {
            id: string;
            name: string;
            /** @enum {string|null} */
            role: "org_admin" | "member" | null;
            currency: string;
            createdAt: string;
            updatedAt: string;
        };
        CreateOrganization: {
            name: string;
        };
        UpdateOrganization: {
            name?: string;
            /** @example EUR */
            currency?: string;
        };
        OrganizationMemberList: {
            members: components["schemas"]["OrganizationMember"][];
        };
        OrganizationMember: {
            userId: string;
            email: string;
            name: string;
            /** @enum {string} */
            status: "active" | "disabled";
            /** @enum {string} */
            role: "org_admin" | "member";
            createdAt: string;
        };
        AddOrganizationMember: {
            /**
             * Format: email
             * @example ana@example.com
             */
            email: string;
            /** @enum {string} */
            role: "org_admin" | "member";
        };
        UpdateOrganizationMember: {
            /** @enum {string} */
            role: "org_admin" | "member";
        };
        UserList: {
            users: components["schemas"]["User"][];
        };
        User: {
            id: string;
            email: string;
            name: string;
            /** @enum {string} */
            status: "active" | "disabled";
            platformAdmin: boolean;
            developer: boolean;
            passwordSet: boolean;
            memberships: {
                organizationId: string;
                organizationName: string;
                /** @enum {string} */
                role: "org_admin" | "member";
            }[];
            createdAt: string;
            updatedAt: string;
        };
        UserInvitation: {
            user: components["schemas"]["User"];
            setPasswordUrl: string;
            expiresAt: string;
        };
        InviteUser: {
            /**
             * Format: email
             * @example ana@example.com
             */
            email: string;
            name: string;
            organizationId?: string;
            /** @enum {string} */
            organizationRole?: "org_admin" | "member";
        };
        PasswordLink: {
            setPasswordUrl: string;
            expiresAt: string;
        };
        UpdateUser: {
            name?: string;
            /** @enum {string} */
            status?: "active" | "disabled";
            platformAdmin?: boolean;
            developer?: boolean;
        };
        SiteList: {
            sites: components["schemas"]["Site"][];
        };
        Site: {
            id: string;
            organizationId: string;
            name: string;
            timeZone: string;
            latitude: number | null;
            longitude: number | null;
            address: string | null;
            operatorControl: boolean;
            /** @enum {string} */
            role: "viewer" | "operator" | "site_manager" | "org_admin" | "platform_admin";
            createdAt: string;
            updatedAt: string;
        };
        CreateSite: {
            name: string;
            timeZone: string;
            latitude?: number | null;
            longitude?: number | null;
            address?: string | null;
            operatorControl?: boolean;
        };
        UpdateSite: {
            name?: string;
            timeZone?: string;
            latitude?: number | null;
            longitude?: number | null;
            address?: string | null;
            operatorControl?: boolean;
        };
        SitePermissions: {
            siteId: string;
            /** @enum {string} */
            role: "viewer" | "operator" | "site_manager" | "org_admin" | "platform_admin";
            actions: ("dashboard.view" | "report.export" | "alarm.acknowledge" | "device.control" | "site.manage" | "site_user.manage" | "organization.manage" | "org_user.manage" | "organization.cross_access" | "admin_pages.view" | "api_docs.view" | "test_data.manage")[];
        };
        SiteSummary: {
            site: {
                id: string;
                name: string;
                organizationId: string;
                organizationName: string;
                timeZone: string;
            };
            /** @description When the summary was computed, epoch ms UTC */
            generatedAt: number;
            /** @description The site's local midnight from which energyToday counts, epoch ms UTC */
            dayStart: number;
            kpis: {
                gridPowerW: {
                    value: number | null;
                    /** @enum {string|null} */
                    quality: "good" | "uncertain" | "stale" | "bad" | null;
                };
                pvPowerW: {
                    value: number | null;
                    /** @enum {string|null} */
                    quality: "good" | "uncertain" | "stale" | "bad" | null;
                };
                consumptionW: {
                    value: number | null;
                    /** @enum {string|null} */
                    quality: "good" | "uncertain" | "stale" | "bad" | null;
                };
                /** @enum {string|null} */
                consumptionSource: "meter" | "balance" | null;
                energyToday: {
                    consumedWh: number | null;
                    pvWh: number | null;
                    gridImportWh: number | null;
                };
            };
            alarms: {
                active: {
                    critical: number;
                    warning: number;
                    info: number;
                    total: number;
                };
                unacknowledged: number;
            };
            devices: {
                total: number;
                online: number;
                offline: number;
                unknown: number;
                /** @description Epoch ms UTC */
                statusAt: number | null;
                byDevice: {
                    [key: string]: "online" | "offline" | "unknown";
                };
            };
            edge: {
                connected: boolean;
                /** @description Epoch ms UTC */
                lastContactAt: number | null;
                /** @description Epoch ms UTC */
                lastDataAt: number | null;
            };
        };
        SiteSummaryList: {
            sites: components["schemas"]["SiteSummary"][];
            total: number;
        };
        LatestPointValues: {
            siteId: string;
            points: {
                point: string;
                unit: string;
                value: number | string | null;
                /** @enum {string|null} */
                quality: "good" | "uncertain" | "stale" | "bad" | null;
                /** @description Epoch ms UTC */
                ts: number | null;
                /** @enum {string|null} */
                source: "live" | "rollup" | null;
            }[];
        };
        SiteEnergySettingsRecord: {
            siteId: string;
            /**
             * @description The organization's ISO 4217 currency, in which every tariff must be priced
             * @example EUR
             */
            currency: string;
            settings: components["schemas"]["SiteEnergySettings"];
            /** @description When the settings were last saved; null while the site has the defaults */
            updatedAt: string | null;
            /** @description User who last saved the settings, or null */
            updatedBy: string | null;
            /** @description Set when the stored settings no longer pass the settings schema, for example when an older hub wrote them: `settings` then contains the defaults, which reports use until a site manager saves the settings again. `issues` lists the first reasons. */
            invalidStoredSettings: {
                message: string;
                issues: {
                    path: string;
                    message: string;
                }[];
            } | null;
            /** @description Power and energy points (W, kW, Wh, kWh) that virtual meter formulas may use */
            meters: components["schemas"]["SiteMeter"][];
        };
        SiteEnergySettings: {
            /** @default [] */
            tariffs: {
                validFrom: string;
                tariff: {
                    currency: string;
                    timeZone: string;
                    import: {
                        /** @enum {string} */
                        kind: "flat";
                        pricePerKwh: number;
                    } | {
                        /** @enum {string} */
                        kind: "time-of-use";
                        seasons: {
                            name: string;
                            from: string;
                            to: string;
                            periods: {
                                name: string;
                                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                from: string;
                                to: string;
                                pricePerKwh: number;
                            }[];
                        }[];
                        defaultPricePerKwh: number;
                    };
                    export?: {
                        pricePerKwh: number;
                    };
                    demand?: {
                        pricePerKw: number;
                        /** @enum {number} */
                        intervalMinutes: 15;
                    };
                };
            }[];
            /** @default [] */
            virtualMeters: {
                id: string;
                name: string;
                /** @enum {string} */
                unit: "Wh" | "kWh" | "MWh" | "W" | "kW" | "MW";
                formula: string;
            }[];
            /** @default null */
            gridEmissionFactorGPerKwh: number | null;
            /**
             * @default {
             *       "fromHour": 0,
             *       "toHour": 5
             *     }
             */
            nightWindow: {
                fromHour: number;
                toHour: number;
            };
        };
        SiteMeter: {
            /**
             * @description Point id `device.point`, written in formulas as is or in braces such as `{grid-meter.m203.W}`
             * @example grid-meter.m203.TotWhImp
             */
            id: string;
            name: string | null;
            /** @enum {string} */
            unit: "Wh" | "kWh" | "MWh" | "W" | "kW" | "MW";
            /** @enum {string} */
            kind: "gauge" | "counter" | "state";
            /** @enum {string|null} */
            role: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption" | null;
            /** @description Building, area or system of the point's device */
            nodeId: string | null;
        };
        SiteNodeList: {
            nodes: components["schemas"]["SiteNode"][];
        };
        SiteNode: {
            id: string;
            organizationId: string;
            siteId: string;
            parentId: string | null;
            kind: components["schemas"]["SiteNodeKind"];
            name: string;
            createdAt: string;
            updatedAt: string;
        };
        /** @enum {string} */
        SiteNodeKind: "building" | "area" | "system";
        CreateSiteNode: {
            kind: components["schemas"]["SiteNodeKind"];
            name: string;
            /**
             * Format: uuid
             * @description Parent node in the same site, null or absent for the top level
             */
            parentId?: string | null;
        };
        UpdateSiteNode: {
            name?: string;
            /**
             * Format: uuid
             * @description New parent node in the same site. Null moves the node to the top level, and an absent field leaves it in place.
             */
            parentId?: string | null;
        };
        SiteAccessList: {
            grants: components["schemas"]["SiteAccessGrant"][];
        };
        SiteAccessGrant: {
            userId: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "viewer" | "operator" | "site_manager";
            grantedBy: string | null;
            createdAt: string;
        };
        PutSiteAccess: {
            /** @enum {string} */
            role: "viewer" | "operator" | "site_manager";
        };
        DeviceList: {
            devices: components["schemas"]["DeviceSummary"][];
        };
        DeviceSummary: {
            id: string;
            siteId: string;
            organizationId: string;
            nodeId: string | null;
            key: string;
            name: string | null;
            /** @enum {string} */
            driver: "modbus-tcp" | "modbus-rtu" | "mqtt" | "bacnet";
            enabled: boolean;
            pointCount: number;
            createdAt: string;
            updatedAt: string;
        };
        DeviceRecord: {
            id: string;
            siteId: string;
            organizationId: string;
            nodeId: string | null;
            device: components["schemas"]["Device"];
            createdAt: string;
            updatedAt: string;
        };
        Device: {
            key: string;
            name?: string;
            /** @default true */
            enabled: boolean;
            /** @default 5000 */
            pollIntervalMs: number;
            roles?: {
                [key: string]: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            };
            /** @enum {string} */
            driver: "modbus-tcp";
            connection: {
                host: string;
                /** @default 502 */
                port: number;
                /** @default 1 */
                unitId: number;
                /** @default [] */
                acceptUnitIds: number[];
                /** @default 1000 */
                timeoutMs: number;
                /** @default 125 */
                maxBlockRegisters: number;
            };
            sunspec?: {
                /** @default 40000 */
                baseAddress: number;
                models?: number[];
            };
            /** @default [] */
            points: {
                key: string;
                name?: string;
                /**
                 * @default
                 * @enum {string}
                 */
                unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
                /**
                 * @default float32
                 * @enum {string}
                 */
                dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
                /**
                 * @default gauge
                 * @enum {string}
                 */
                kind: "gauge" | "counter" | "state";
                /** @default 1 */
                scale: number;
                /** @default 0 */
                offset: number;
                /** @default false */
                writable: boolean;
                min?: number;
                max?: number;
                control?: {
                    maxStep?: number;
                    rampPerSecond?: number;
                    safeValue?: number | boolean;
                    /**
                     * @default safe_value
                     * @enum {string}
                     */
                    onRelease: "safe_value" | "relinquish";
                    /** @default 60 */
                    leaseS: number;
                    /** @default 1000 */
                    minIntervalMs: number;
                    /** @default false */
                    dangerous: boolean;
                    verifyTolerance?: number;
                    /** @default 3000 */
                    verifyTimeoutMs: number;
                };
                /** @enum {string} */
                role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
                /**
                 * @default holding-register
                 * @enum {string}
                 */
                table: "coil" | "discrete-input" | "input-register" | "holding-register";
                address: number;
                length?: number;
                /** @enum {string} */
                wordOrder?: "ABCD" | "CDAB" | "BADC" | "DCBA";
                scaleFactor?: string;
                /** @default true */
                sentinels: boolean;
            }[];
        } | {
            key: string;
            name?: string;
            /** @default true */
            enabled: boolean;
            /** @default 5000 */
            pollIntervalMs: number;
            roles?: {
                [key: string]: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            };
            /** @enum {string} */
            driver: "modbus-rtu";
            connection: {
                path: string;
                /** @default 9600 */
                baudRate: number;
                /**
                 * @default none
                 * @enum {string}
                 */
                parity: "none" | "even" | "odd";
                /** @default 8 */
                dataBits: 7 | 8;
                /** @default 1 */
                stopBits: 1 | 2;
                /** @default 1 */
                unitId: number;
                /** @default [] */
                acceptUnitIds: number[];
                /** @default 1000 */
                timeoutMs: number;
                /** @default 125 */
                maxBlockRegisters: number;
            };
            sunspec?: {
                /** @default 40000 */
                baseAddress: number;
                models?: number[];
            };
            /** @default [] */
            points: {
                key: string;
                name?: string;
                /**
                 * @default
                 * @enum {string}
                 */
                unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
                /**
                 * @default float32
                 * @enum {string}
                 */
                dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
                /**
                 * @default gauge
                 * @enum {string}
                 */
                kind: "gauge" | "counter" | "state";
                /** @default 1 */
                scale: number;
                /** @default 0 */
                offset: number;
                /** @default false */
                writable: boolean;
                min?: number;
                max?: number;
                control?: {
                    maxStep?: number;
                    rampPerSecond?: number;
                    safeValue?: number | boolean;
                    /**
                     * @default safe_value
                     * @enum {string}
                     */
                    onRelease: "safe_value" | "relinquish";
                    /** @default 60 */
                    leaseS: number;
                    /** @default 1000 */
                    minIntervalMs: number;
                    /** @default false */
                    dangerous: boolean;
                    verifyTolerance?: number;
                    /** @default 3000 */
                    verifyTimeoutMs: number;
                };
                /** @enum {string} */
                role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
                /**
                 * @default holding-register
                 * @enum {string}
                 */
                table: "coil" | "discrete-input" | "input-register" | "holding-register";
                address: number;
                length?: number;
                /** @enum {string} */
                wordOrder?: "ABCD" | "CDAB" | "BADC" | "DCBA";
                scaleFactor?: string;
                /** @default true */
                sentinels: boolean;
            }[];
        } | {
            key: string;
            name?: string;
            /** @default true */
            enabled: boolean;
            /** @default 5000 */
            pollIntervalMs: number;
            roles?: {
                [key: string]: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            };
            /** @enum {string} */
            driver: "mqtt";
            /**
             * @default {
             *       "staleAfterS": 120
             *     }
             */
            connection: {
                url?: string;
                /** @default 120 */
                staleAfterS: number;
            };
            /** @default [] */
            points: {
                key: string;
                name?: string;
                /**
                 * @default
                 * @enum {string}
                 */
                unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
                /**
                 * @default float32
                 * @enum {string}
                 */
                dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
                /**
                 * @default gauge
                 * @enum {string}
                 */
                kind: "gauge" | "counter" | "state";
                /** @default 1 */
                scale: number;
                /** @default 0 */
                offset: number;
                /** @default false */
                writable: boolean;
                min?: number;
                max?: number;
                control?: {
                    maxStep?: number;
                    rampPerSecond?: number;
                    safeValue?: number | boolean;
                    /**
                     * @default safe_value
                     * @enum {string}
                     */
                    onRelease: "safe_value" | "relinquish";
                    /** @default 60 */
                    leaseS: number;
                    /** @default 1000 */
                    minIntervalMs: number;
                    /** @default false */
                    dangerous: boolean;
                    verifyTolerance?: number;
                    /** @default 3000 */
                    verifyTimeoutMs: number;
                };
                /** @enum {string} */
                role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
                topic: string;
                path?: string;
            }[];
        } | {
            key: string;
            name?: string;
            /** @default true */
            enabled: boolean;
            /** @default 5000 */
            pollIntervalMs: number;
            roles?: {
                [key: string]: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            };
            /** @enum {string} */
            driver: "bacnet";
            connection: {
                deviceInstance: number;
                address?: string;
                network?: number;
                mac?: string;
                /** @default 47808 */
                localPort: number;
                /** @default 0.0.0.0 */
                localAddress: string;
                /** @default 255.255.255.255 */
                broadcastAddress: string;
                /** @default 3000 */
                apduTimeoutMs: number;
                /** @default 1 */
                retries: number;
                /** @enum {number} */
                maxApduLength?: 50;
                segmentation?: boolean;
                /** @default 300 */
                covLifetimeS: number;
            };
            /** @default [] */
            points: {
                key: string;
                name?: string;
                /**
                 * @default
                 * @enum {string}
                 */
                unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
                /**
                 * @default float32
                 * @enum {string}
                 */
                dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
                /**
                 * @default gauge
                 * @enum {string}
                 */
                kind: "gauge" | "counter" | "state";
                /** @default 1 */
                scale: number;
                /** @default 0 */
                offset: number;
                /** @default false */
                writable: boolean;
                min?: number;
                max?: number;
                control?: {
                    maxStep?: number;
                    rampPerSecond?: number;
                    safeValue?: number | boolean;
                    /**
                     * @default safe_value
                     * @enum {string}
                     */
                    onRelease: "safe_value" | "relinquish";
                    /** @default 60 */
                    leaseS: number;
                    /** @default 1000 */
                    minIntervalMs: number;
                    /** @default false */
                    dangerous: boolean;
                    verifyTolerance?: number;
                    /** @default 3000 */
                    verifyTimeoutMs: number;
                };
                /** @enum {string} */
                role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
                /** @enum {string} */
                objectType: "analog-input" | "analog-output" | "analog-value" | "binary-input" | "binary-output" | "binary-value" | "multi-state-input" | "multi-state-output" | "multi-state-value";
                instance: number;
                /** @default present-value */
                property: string | number;
                /** @default 8 */
                writePriority: number;
                /** @default false */
                cov: boolean;
            }[];
        };
        DeviceBody: {
            /**
             * Format: uuid
             * @description Building, area or system of the same site that the device belongs to, or null (the default) for none
             */
            nodeId?: string | null;
            device: components["schemas"]["Device"];
        };
        PointList: {
            deviceId: string;
            /** @enum {string} */
            driver: "modbus-tcp" | "modbus-rtu" | "mqtt" | "bacnet";
            points: components["schemas"]["Point"][];
        };
        Point: components["schemas"]["ModbusPoint"] | components["schemas"]["MqttPoint"] | components["schemas"]["BacnetPoint"];
        ModbusPoint: {
            key: string;
            name?: string;
            /**
             * @default
             * @enum {string}
             */
            unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
            /**
             * @default float32
             * @enum {string}
             */
            dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
            /**
             * @default gauge
             * @enum {string}
             */
            kind: "gauge" | "counter" | "state";
            /** @default 1 */
            scale: number;
            /** @default 0 */
            offset: number;
            /** @default false */
            writable: boolean;
            min?: number;
            max?: number;
            control?: {
                maxStep?: number;
                rampPerSecond?: number;
                safeValue?: number | boolean;
                /**
                 * @default safe_value
                 * @enum {string}
                 */
                onRelease: "safe_value" | "relinquish";
                /** @default 60 */
                leaseS: number;
                /** @default 1000 */
                minIntervalMs: number;
                /** @default false */
                dangerous: boolean;
                verifyTolerance?: number;
                /** @default 3000 */
                verifyTimeoutMs: number;
            };
            /** @enum {string} */
            role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            /**
             * @default holding-register
             * @enum {string}
             */
            table: "coil" | "discrete-input" | "input-register" | "holding-register";
            address: number;
            length?: number;
            /** @enum {string} */
            wordOrder?: "ABCD" | "CDAB" | "BADC" | "DCBA";
            scaleFactor?: string;
            /** @default true */
            sentinels: boolean;
        };
        MqttPoint: {
            key: string;
            name?: string;
            /**
             * @default
             * @enum {string}
             */
            unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
            /**
             * @default float32
             * @enum {string}
             */
            dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
            /**
             * @default gauge
             * @enum {string}
             */
            kind: "gauge" | "counter" | "state";
            /** @default 1 */
            scale: number;
            /** @default 0 */
            offset: number;
            /** @default false */
            writable: boolean;
            min?: number;
            max?: number;
            control?: {
                maxStep?: number;
                rampPerSecond?: number;
                safeValue?: number | boolean;
                /**
                 * @default safe_value
                 * @enum {string}
                 */
                onRelease: "safe_value" | "relinquish";
                /** @default 60 */
                leaseS: number;
                /** @default 1000 */
                minIntervalMs: number;
                /** @default false */
                dangerous: boolean;
                verifyTolerance?: number;
                /** @default 3000 */
                verifyTimeoutMs: number;
            };
            /** @enum {string} */
            role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            topic: string;
            path?: string;
        };
        BacnetPoint: {
            key: string;
            name?: string;
            /**
             * @default
             * @enum {string}
             */
            unit: "" | "W" | "kW" | "MW" | "Wh" | "kWh" | "MWh" | "VA" | "kVA" | "var" | "kvar" | "varh" | "kvarh" | "VAh" | "V" | "A" | "Hz" | "Pct" | "PF" | "C" | "F" | "K" | "W/m2" | "m/s" | "Pa" | "kPa" | "bar" | "m3/h" | "l/s" | "cfm" | "ppm" | "Ohm" | "s" | "h" | "deg";
            /**
             * @default float32
             * @enum {string}
             */
            dataType: "bool" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "string";
            /**
             * @default gauge
             * @enum {string}
             */
            kind: "gauge" | "counter" | "state";
            /** @default 1 */
            scale: number;
            /** @default 0 */
            offset: number;
            /** @default false */
            writable: boolean;
            min?: number;
            max?: number;
            control?: {
                maxStep?: number;
                rampPerSecond?: number;
                safeValue?: number | boolean;
                /**
                 * @default safe_value
                 * @enum {string}
                 */
                onRelease: "safe_value" | "relinquish";
                /** @default 60 */
                leaseS: number;
                /** @default 1000 */
                minIntervalMs: number;
                /** @default false */
                dangerous: boolean;
                verifyTolerance?: number;
                /** @default 3000 */
                verifyTimeoutMs: number;
            };
            /** @enum {string} */
            role?: "grid" | "grid-import" | "grid-export" | "pv" | "battery" | "battery-charge" | "battery-discharge" | "ev" | "consumption";
            /** @enum {string} */
            objectType: "analog-input" | "analog-output" | "analog-value" | "binary-input" | "binary-output" | "binary-value" | "multi-state-input" | "multi-state-output" | "multi-state-value";
            instance: number;
            /** @default present-value */
            property: string | number;
            /** @default 8 */
            writePriority: number;
            /** @default false */
            cov: boolean;
        };
        /** @description A point in the schema of the device's driver: ModbusPoint for modbus-tcp and modbus-rtu, MqttPoint for mqtt, BacnetPoint for bacnet. `key` may be omitted, and when present it must equal the path's pointKey. */
        PointBody: {
            [key: string]: unknown;
        } | components["schemas"]["ModbusPoint"] | components["schemas"]["MqttPoint"] | components["schemas"]["BacnetPoint"];
        EdgeNodeList: {
            edgeNodes: components["schemas"]["EdgeNode"][];
        };
        EdgeNode: {
            id: string;
            siteId: string;
            organizationId: string;
            name: string;
            /** @description True when the node has registered its key and is not revoked. */
            paired: boolean;
            pairedAt: string | null;
            revokedAt: string | null;
            hostname: string | null;
            lastSeenAt: string | null;
            softwareVersion: string | null;
            pairingCodeExpiresAt: string | null;
            createdAt: string;
        };
        EdgeNodePairingCode: {
            edgeNode: components["schemas"]["EdgeNode"];
            /**
             * @description One-time code, formatted XXXX-XXXX-XX, that the installer enters with `edge-node pair`. Only this response contains it, because the hub stores only its SHA-256 digest.
             * @example 7K3M-Q9TX-2B
             */
            pairingCode: string;
            pairingCodeExpiresAt: string;
        };
        CreateEdgeNode: {
            name: string;
        };
        UpdateEdgeNode: {
            name: string;
        };
        ShapeMessages: ({
            key: string;
            /** @description Columns in Postgres text format; a delete carries the key (and site_id) */
            value: {
                [key: string]: string | null;
            };
            headers: {
                /** @enum {string} */
                operation: "insert" | "update" | "delete";
            };
        } | {
            headers: {
                /** @enum {string} */
                control: "up-to-date" | "must-refetch";
            };
        })[];
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            nextCursor: string | null;
        };
        AuditEntry: {
            /** @example 1042 */
            id: string;
            /** @example 2024-05-01T08:30:00.000Z */
            at: string;
            organizationId: string | null;
            siteId: string | null;
            /** @enum {string} */
            actorType: "user" | "edge" | "system";
            actorId: string | null;
            /** @example site.update */
            action: string;
            targetType: string;
            targetId: string | null;
            /** @description State of the target before the change, or null when it did not exist */
            before?: unknown;
            /** @description State of the target after the change, or null when it no longer exists */
            after?: unknown;
            ip: string | null;
            userAgent: string | null;
            requestId: string | null;
        };
        TelemetryHistory: {
            siteId: string;
            /** @enum {string} */
            resolution: "1m" | "15m" | "1h" | "1d";
            from: number;
            to: number;
            series: {
                point: string;
                buckets: components["schemas"]["HistoryBucket"][];
            }[];
        };
        HistoryBucket: {
            start: number;
            end: number;
            count: number;
            avg: number | null;
            min: number | null;
            max: number | null;
            last: number | null;
            delta: number | null;
            estimated: boolean;
        };
        AlarmRuleList: {
            rules: components["schemas"]["AlarmRule"][];
        };
        AlarmRule: {
            id: string;
            siteId: string;
            name: string;
            /** @enum {string} */
            severity: "info" | "warning" | "critical";
            enabled: boolean;
            point: string | null;
            pointId: string | null;
            condition: components["schemas"]["AlarmCondition"];
            createdAt: string;
            updatedAt: string;
        };
        AlarmCondition: {
            /** @enum {string} */
            type: "high" | "high_high" | "low" | "low_low";
            limit: number;
            /** @default 0 */
            deadband: number;
            /** @default 0 */
            onDelayS: number;
            /** @default 0 */
            offDelayS: number;
            message?: string;
        } | {
            /** @enum {string} */
            type: "rate_of_change";
            maxChangePerMinute: number;
            /** @default 60 */
            windowS: number;
            /** @default 0 */
            onDelayS: number;
            /** @default 0 */
            offDelayS: number;
            message?: string;
        } | {
            /** @enum {string} */
            type: "stale";
            afterS: number;
            /** @default 0 */
            onDelayS: number;
            /** @default 0 */
            offDelayS: number;
            message?: string;
        } | {
            /** @enum {string} */
            type: "device_offline";
            device?: string;
            /** @default 0 */
            onDelayS: number;
            /** @default 0 */
            offDelayS: number;
            message?: string;
        } | {
            /** @enum {string} */
            type: "state";
            values: (boolean | number | string)[];
            /** @default 0 */
            onDelayS: number;
            /** @default 0 */
            offDelayS: number;
            message?: string;
        };
        AlarmRuleBody: {
            name: string;
            /** @enum {string} */
            severity: "info" | "warning" | "critical";
            /** @default true */
            enabled: boolean;
            /** @description Point of the site as `device.point`; null only for a device_offline rule that names its device */
            point: string | null;
            condition: components["schemas"]["AlarmCondition"];
        };
        AlarmRulePatch: {
            name?: string;
            /** @enum {string} */
            severity?: "info" | "warning" | "critical";
            enabled?: boolean;
            point?: string | null;
            condition?: components["schemas"]["AlarmCondition"];
        };
        ActiveAlarms: {
            siteId: string;
            alarms: components["schemas"]["AlarmStatus"][];
        };
        AlarmStatus: {
            ruleId: string;
            siteId: string;
            name: string;
            /** @enum {string} */
            severity: "info" | "warning" | "critical";
            point: string | null;
            device: string | null;
            /** @enum {string} */
            state: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
            conditionActive: boolean;
            /** Format: uuid */
            occurrence: string | null;
            message: string;
            value: number | boolean | string | null;
            activeSince: number | null;
            acknowledgedAt: number | null;
            acknowledgedBy: {
                id: string;
                name: string;
                /** @enum {string} */
                origin: "edge" | "cloud";
            } | null;
            shelvedUntil: number | null;
            updatedAt: number;
        };
        AlarmActionAccepted: {
            requestId: string;
            siteId: string;
            ruleId: string;
            /** @enum {string} */
            action: "acknowledge" | "shelve" | "unshelve" | "comment" | "remove_from_service" | "return_to_service";
            duplicate: boolean;
            message: string;
            alarm: components["schemas"]["AlarmStatus"];
        };
        AlarmActionBody: {
            /** Format: uuid */
            occurrence?: string;
            comment?: string;
            shelvedUntil?: number;
        };
        AlarmHistory: {
            transitions: components["schemas"]["AlarmHistoryEntry"][];
            truncated: boolean;
        };
        AlarmHistoryEntry: {
            /** Format: uuid */
            id: string;
            seq: number;
            ruleId: string;
            /** Format: uuid */
            occurrence: string | null;
            /** @enum {string} */
            action: "raise" | "clear" | "acknowledge" | "shelve" | "unshelve" | "shelve_expired" | "remove_from_service" | "return_to_service" | "comment";
            /** @enum {string} */
            from: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
            /** @enum {string} */
            to: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
            at: number;
            value: number | boolean | string | null;
            /** @enum {string} */
            severity: "info" | "warning" | "critical";
            message: string;
            point: string | null;
            device: string | null;
            user: {
                id: string;
                name: string;
                /** @enum {string} */
                origin: "edge" | "cloud";
            } | null;
            comment: string | null;
            shelvedUntil: number | null;
            /** Format: uuid */
            requestId: string | null;
            siteId: string;
            recordedAt: number;
        };
        WebhookList: {
            webhooks: components["schemas"]["Webhook"][];
        };
        Webhook: {
            id: string;
            organizationId: string;
            name: string;
            url: string;
            enabled: boolean;
            events: ("alarm.raised" | "alarm.acknowledged" | "alarm.cleared" | "alarm.escalated")[];
            /** @enum {string} */
            minSeverity: "info" | "warning" | "critical";
            /** @description Minutes an alarm may stay unacknowledged before `alarm.escalated` is sent, once per activation; null sends none. */
            escalationMinutes: number | null;
            createdAt: string;
            updatedAt: string;
        };
        WebhookWithSecret: {
            webhook: components["schemas"]["Webhook"];
            /** @description The HMAC-SHA256 key of the X-EMS-Signature header. Only this response contains it; rotate it to get a new one. */
            secret: string;
        };
        CreateWebhook: {
            name: string;
            /** @example https://alerts.example.com/ems */
            url: string;
            enabled?: boolean;
            events?: ("alarm.raised" | "alarm.acknowledged" | "alarm.cleared" | "alarm.escalated")[];
            /** @enum {string} */
            minSeverity?: "info" | "warning" | "critical";
            escalationMinutes?: number | null;
        };
        UpdateWebhook: {
            name?: string;
            /** @example https://alerts.example.com/ems */
            url?: string;
            enabled?: boolean;
            events?: ("alarm.raised" | "alarm.acknowledged" | "alarm.cleared" | "alarm.escalated")[];
            /** @enum {string} */
            minSeverity?: "info" | "warning" | "critical";
            escalationMinutes?: number | null;
        };
        WebhookDelivery: {
            id: string;
            webhookId: string;
            event: string;
            eventKey: string;
            /**
             * @description `failed` once the hub gave up retrying.
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            nextAttemptAt: string | null;
            /** @description HTTP status of the last attempt; null when it got no response. */
            lastStatus: number | null;
            lastError: string | null;
            deliveredAt: string | null;
            givenUpAt: string | null;
            createdAt: string;
            /** @description The JSON body sent. */
            payload?: unknown;
        };
        WebhookDeliveryList: {
            deliveries: components["schemas"]["WebhookDelivery"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
