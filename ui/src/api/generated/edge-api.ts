// Generated from the OpenAPI document by `pnpm -C ui api-types`; do not edit.
export interface paths {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the node: store commits, devices, and the sync and disk sections when paired */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The store commits; `status` is `degraded` when devices, the disk budget, uploads or an incompatible hub protocol need attention. In setup mode the body is `SetupHealth`. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"] | components["schemas"]["SetupHealth"];
                    };
                };
                /** @description The store has not committed for 30 s */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
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
        /** Log in offline with a local installer account or a synced hub user */
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
                        username: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description An edge access token, valid for 15 min */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeToken"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
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
        /** Exchange a valid edge token for a new one with a fresh expiry; hub tokens are refreshed at the hub */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A new edge access token for the same account, with its current role */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EdgeToken"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
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
        /** The caller: account, role and the actions it may take at this site */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The caller */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Me"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the caller's password; local installer accounts only, cloud users change theirs in the cloud */
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
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Password changed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request conflicts with the current state */
                409: {
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
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alarms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Current state of every alarm rule of the site */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Alarms */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alarms: {
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
                            }[];
                        };
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/alarms/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alarm transitions, newest first */
        get: {
            parameters: {
                query?: {
                    device?: string;
                    point?: string;
                    ruleId?: string;
                    severity?: "info" | "warning" | "critical";
                    state?: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
                    action?: "raise" | "clear" | "acknowledge" | "shelve" | "unshelve" | "shelve_expired" | "remove_from_service" | "return_to_service" | "comment";
                    /** @description Epoch milliseconds or ISO 8601 date-time with an offset */
                    from?: string;
                    /** @description Epoch milliseconds or ISO 8601 date-time with an offset */
                    to?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Transitions; `truncated` is true when `limit` rows were returned */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            transitions: {
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
                            }[];
                            truncated: boolean;
                        };
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/alarms/history.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alarm transitions as CSV; needs `report.export` (operator and above) */
        get: {
            parameters: {
                query?: {
                    device?: string;
                    point?: string;
                    ruleId?: string;
                    severity?: "info" | "warning" | "critical";
                    state?: "normal" | "active_unack" | "active_ack" | "cleared_unack" | "shelved" | "out_of_service";
                    action?: "raise" | "clear" | "acknowledge" | "shelve" | "unshelve" | "shelve_expired" | "remove_from_service" | "return_to_service" | "comment";
                    /** @description Epoch milliseconds or ISO 8601 date-time with an offset */
                    from?: string;
                    /** @description Epoch milliseconds or ISO 8601 date-time with an offset */
                    to?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSV with a header row */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/alarms/{ruleId}/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A user's action on an alarm: acknowledge, shelve, unshelve, comment, remove from or return to service */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description A UUID; an action sent again with the same key is applied once */
                    "idempotency-key"?: string;
                };
                path: {
                    ruleId: string;
                    action: "acknowledge" | "shelve" | "unshelve" | "comment" | "remove-from-service" | "return-to-service";
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        occurrence?: string;
                        comment?: string;
                        shelvedUntil?: number;
                    };
                };
            };
            responses: {
                /** @description The action was applied, or was a duplicate acknowledgement */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            transition: {
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
                            };
                            duplicate: boolean;
                        };
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request conflicts with the current state */
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
    "/api/points/{point}/control": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write a value to a writable point as an on-site command, under a lease */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    point: string;
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
                /** @description The command was applied and confirmed */
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
                /** @description The body is not valid */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_permitted`: the caller may not control devices at this site */
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
                /** @description `unknown_point`: no such point */
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
                /** @description `not_writable` or `held_locally` */
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
                /** @description `wrong_type`, `out_of_limits` or `step_too_large` */
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
                /** @description `confirmation_required`: repeat the request with the `confirmationToken` of this response */
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
                /** @description `rate_limited`: too many commands for this point */
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
                /** @description `device_error` or `not_confirmed`: the device refused the write or the read-back did not match */
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
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/points/{point}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Release the lease on a point and write its safe value */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    point: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The command was applied and confirmed */
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
                /** @description The body is not valid */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `not_permitted`: the caller may not control devices at this site */
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
                /** @description `unknown_point`: no such point */
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
                /** @description `not_writable` or `held_locally` */
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
                /** @description `wrong_type`, `out_of_limits` or `step_too_large` */
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
                /** @description `confirmation_required`: repeat the request with the `confirmationToken` of this response */
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
                /** @description `rate_limited`: too many commands for this point */
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
                /** @description `device_error` or `not_confirmed`: the device refused the write or the read-back did not match */
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
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/control/leases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Leases in force, and expired leases whose release is still being retried */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Leases */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            leases: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            }[];
                            releasesPending: {
                                point: string;
                                /** @enum {string} */
                                source: "local" | "remote";
                                value: number | boolean | string;
                                userId: string;
                                userName: string;
                                startedAt: number;
                                expiresAt: number | null;
                            }[];
                        };
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/site": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The site: id, name, time zone, device and point counts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
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
                        "application/json": {
                            id: string;
                            name: string;
                            timeZone: string;
                            latitude?: number;
                            longitude?: number;
                            /** @default false */
                            operatorControl: boolean;
                            deviceCount: number;
                            pointCount: number;
                        };
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Devices of the site with their poll status */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
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
                        "application/json": {
                            devices: components["schemas"]["Device"][];
                        };
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/devices/{device}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One device with its points and their latest values */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    device: string;
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
                        "application/json": components["schemas"]["Device"] & {
                            points: components["schemas"]["Point"][];
                        };
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/devices/{device}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status changes of a device, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Epoch milliseconds or ISO 8601 date-time with an offset */
                    from?: string;
                    /** @description Epoch milliseconds or ISO 8601 date-time with an offset */
                    to?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    device: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            device: string;
                            events: {
                                ts: number;
                                status: string;
                                error: string | null;
                            }[];
                        };
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/points": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Points of the site, or of one device, with their latest values */
        get: {
            parameters: {
                query?: {
                    device?: string;
                };
                header?: never;
                path?: never;
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
                        "application/json": {
                            points: components["schemas"]["Point"][];
                        };
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/points/{point}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One point with its latest value */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    point: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The point */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Point"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/points/{point}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** History of a point: raw samples or rollups */
        get: {
            parameters: {
                query?: {
                    /** @description Start, inclusive; defaults to one hour before `to` */
                    from?: string;
                    /** @description End, exclusive; defaults to now */
                    to?: string;
                    resolution?: "raw" | "1m" | "15m" | "1h" | "1d";
                    limit?: number;
                };
                header?: never;
                path: {
                    point: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description History rows, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PointHistory"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/points/{point}/history.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** History of a point as CSV, with the columns of the raw or rollup rows */
        get: {
            parameters: {
                query?: {
                    /** @description Start, inclusive; defaults to one hour before `to` */
                    from?: string;
                    /** @description End, exclusive; defaults to now */
                    to?: string;
                    resolution?: "raw" | "1m" | "15m" | "1h" | "1d";
                    limit?: number;
                };
                header?: never;
                path: {
                    point: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSV with a header row */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/sync/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The edge's side of the sync with the hub; served only on a paired node */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
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
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/site/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Site overview: KPIs, alarm and device counts, hierarchy
         * @description Power KPIs come from the latest values of points with a meter role, energy today from the growth of their counters since local midnight, including samples not committed yet. A missing value makes a sum null, and a KPI carries the worst quality it was computed from.
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
                /** @description The site summary */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SiteSummary"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/energy/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Energy report of the site over a period in the site's time zone
         * @description Flows, costs, virtual meters, hierarchy, indicators and the previous period for comparison, computed from the stored rollups and the buckets not committed yet. Hourly buckets follow UTC instants, so a daylight-saving day has 23 or 25 of them.
         */
        get: {
            parameters: {
                query: {
                    /** @description Calendar day, ISO week (Monday to Sunday), month, year, or custom from `from` to `to` */
                    period: "day" | "week" | "month" | "year" | "custom";
                    /** @description A local day inside the period, YYYY-MM-DD. Defaults to today in the site time zone. */
                    date?: string;
                    /** @description First local day of a custom period, YYYY-MM-DD. Required with period=custom. */
                    from?: string;
                    /** @description Last local day of a custom period, included, YYYY-MM-DD. Required with period=custom. */
                    to?: string;
                    /** @description Bucket size of the report: by default 1h for a day or a custom period up to 2 days, 1d for a week, a month or a longer custom period, 1mo for a year */
                    resolution?: "15m" | "1h" | "1d" | "1mo";
                };
                header?: never;
                path?: never;
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
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/energy/report.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One table of the energy report as CSV; needs `report.export` (operator and above) */
        get: {
            parameters: {
                query: {
                    /** @description Calendar day, ISO week (Monday to Sunday), month, year, or custom from `from` to `to` */
                    period: "day" | "week" | "month" | "year" | "custom";
                    /** @description A local day inside the period, YYYY-MM-DD. Defaults to today in the site time zone. */
                    date?: string;
                    /** @description First local day of a custom period, YYYY-MM-DD. Required with period=custom. */
                    from?: string;
                    /** @description Last local day of a custom period, included, YYYY-MM-DD. Required with period=custom. */
                    to?: string;
                    /** @description Bucket size of the report: by default 1h for a day or a custom period up to 2 days, 1d for a week, a month or a longer custom period, 1mo for a year */
                    resolution?: "15m" | "1h" | "1d" | "1mo";
                    table: "buckets" | "meters" | "hierarchy" | "cost" | "virtual-meters" | "load-profile" | "indicators";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSV with a header row, sent as an attachment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/energy/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Energy settings in use: tariffs, virtual meters, emission factor, currency and where they come from */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
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
                        "application/json": components["schemas"]["EnergySettings"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/instance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Which server this is, for the UI before login
         * @description Public: the login page reads it to offer local or cloud credentials and to show the site name.
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
                /** @description This edge node */
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
    "/api/setup/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress of the first-boot setup; public, also served once setup is complete */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Setup progress */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupStatus"];
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
    "/api/setup/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange the setup code from the console for a setup token valid for one hour
         * @description Served only while the node is in setup mode (no site file yet). After five wrong codes within 15 minutes, attempts get 429 until the time in its message.
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
                    "application/json": components["schemas"]["SetupUnlockRequest"];
                };
            };
            responses: {
                /** @description Setup token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupUnlockResponse"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/admin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create the local admin account; a repeated call replaces the account this setup created
         * @description Served only while the node is in setup mode (no site file yet).
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
                    "application/json": components["schemas"]["SetupAdminRequest"];
                };
            };
            responses: {
                /** @description Account created */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupAdminResponse"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request conflicts with the current state */
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
    "/api/setup/pair": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pair with a cloud hub using a one-time pairing code; the site comes from the hub
         * @description Served only while the node is in setup mode (no site file yet). 502 when the hub is unreachable or rejects the code, with the hub's message.
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
                    "application/json": components["schemas"]["SetupPairRequest"];
                };
            };
            responses: {
                /** @description Paired */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupPairResponse"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The hub is unreachable or rejected the pairing code; the message contains the reason */
                502: {
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
    "/api/setup/standalone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set up a standalone site that runs without a cloud hub
         * @description Served only while the node is in setup mode (no site file yet).
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
                    "application/json": components["schemas"]["SetupStandaloneRequest"];
                };
            };
            responses: {
                /** @description Site chosen */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupStandaloneResponse"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request conflicts with the current state */
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
    "/api/setup/scan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a scan of an IPv4 network (/22 or longer) for Modbus TCP and BACnet/IP devices
         * @description Served only while the node is in setup mode (no site file yet).
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
                        cidr: string;
                        /**
                         * @default [
                         *       502
                         *     ]
                         */
                        modbusPorts?: number[];
                        /**
                         * @default [
                         *       1
                         *     ]
                         */
                        unitIds?: number[];
                        /** @default true */
                        bacnet?: boolean;
                        /** @default 47808 */
                        bacnetPort?: number;
                    };
                };
            };
            responses: {
                /** @description Scan started */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupScanStarted"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/setup/scan/{scanId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Progress and findings of a LAN scan
         * @description Served only while the node is in setup mode (no site file yet).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    scanId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The scan */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupScanJob"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such resource at this site */
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
    "/api/setup/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Device templates the node ships with
         * @description Served only while the node is in setup mode (no site file yet).
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
                /** @description Templates */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupTemplates"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
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
    "/api/setup/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Choose the devices of the site file; replaces the previous choice
         * @description Served only while the node is in setup mode (no site file yet).
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
                    "application/json": components["schemas"]["SetupDevicesRequest"];
                };
            };
            responses: {
                /** @description Devices chosen */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupDevicesResponse"];
                    };
                };
                /** @description Invalid request: a parameter or the body failed validation */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/api/setup/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write the site file and switch to the normal edge node on the same port
         * @description Served only while the node is in setup mode (no site file yet). 409 until an admin and a site (paired or standalone) exist.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Setup finished; log in at `loginUrl` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SetupFinishResponse"];
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The request conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error; the edge node log has the cause */
                500: {
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
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI 3.1 document; needs `dashboard.view` */
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
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics; loopback clients need no token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text exposition format 0.0.4 */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Missing, invalid or expired access token, or wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller may not take this action */
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok" | "degraded" | "failing";
            /**
             * @description The node runs a site file; `setup` while first-boot setup is not finished
             * @enum {string}
             */
            mode: "running";
            /** @description Software version of the edge node: the release version when installed from a package */
            version: string;
            site: string;
            uptimeS: number;
            store: {
                ok: boolean;
                lastCommitAgeMs: number | null;
                pendingSamples: number;
                commitFailures: number;
            };
            devices: {
                total: number;
                online: number;
                offline: string[];
                allPointsBad: string[];
            };
            liveClients: number;
            sync?: {
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
            disk?: {
                databaseBytes: number;
                budgetBytes: number;
                exceeded: boolean;
                reason?: string;
            };
            /** @description Present only while the edge and the hub reject each other's protocol version; sync, uploads and the live uplink are stopped */
            protocol?: {
                /** @enum {boolean} */
                compatible: false;
                /** @description Edge-hub protocol version this edge node speaks */
                edgeProtocol: number;
                /** @description Hub protocol versions this edge node accepts, such as `1` or `1-2` */
                supportedHubProtocols: string;
                /** @description The hub's or the edge's rejection, naming both versions and the side to update */
                reason: string;
            };
        };
        SetupHealth: {
            /** @enum {string} */
            status: "ok";
            /** @enum {string} */
            mode: "setup";
            /** @description Software version of the edge node */
            version: string;
        };
        EdgeToken: {
            accessToken: string;
            /** @enum {string} */
            tokenType: "Bearer";
            /** Format: date-time */
            expiresAt: string;
            user: {
                id: string;
                /** @enum {string} */
                source: "local" | "cloud-user";
                /** @enum {string} */
                role: "viewer" | "operator" | "site_manager" | "org_admin" | "platform_admin";
            };
        };
        Error: {
            error: {
                /** @example not_found */
                code: string;
                message: string;
                parameter?: string;
            };
        };
        Me: {
            id: string;
            /**
             * @description `local`: an installer account of this edge; `cloud-user`: a synced hub user who logged in on the edge; `hub-token`: a hub user calling with a hub token
             * @enum {string}
             */
            source: "local" | "cloud-user" | "hub-token";
            /** @description The local username, or the synced user name, else the email */
            name: string;
            /** @enum {string} */
            role: "viewer" | "operator" | "site_manager" | "org_admin" | "platform_admin";
            developer: boolean;
            /** @description Actions of the permission matrix the caller may take at this site, under its policy */
            actions: ("dashboard.view" | "report.export" | "alarm.acknowledge" | "device.control" | "site.manage" | "site_user.manage" | "organization.manage" | "org_user.manage" | "organization.cross_access" | "admin_pages.view" | "api_docs.view" | "test_data.manage")[];
            /** @description Whether operators may control devices at this site */
            operatorControl: boolean;
        };
        Device: {
            key: string;
            name: string;
            /** @enum {string} */
            driver: "modbus-tcp" | "modbus-rtu" | "mqtt" | "bacnet";
            enabled: boolean;
            pollIntervalMs: number;
            status: ("online" | "offline" | "unknown") | "disabled";
            lastError: string | null;
            pointCount: number;
            /** @description Poll counters since start, or null when the device has no poller */
            stats: {
                polls: number;
                failures: number;
                timeouts: number;
                lastPollMs: number | null;
            } | null;
        };
        Point: {
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
            /** @description Point id at this site, `device.point` */
            id: string;
            device: string;
            key: string;
            value: number | string | null;
            ts: number | null;
            /** @enum {string|null} */
            quality: "good" | "uncertain" | "stale" | "bad" | null;
            reason: string | null;
        } & {
            [key: string]: unknown;
        };
        PointHistory: {
            point: string;
            unit: string;
            /** @enum {string} */
            resolution: "raw" | "1m" | "15m" | "1h" | "1d";
            from: number;
            to: number;
            truncated: boolean;
            /** @description Raw samples for `raw`, rollup buckets otherwise */
            rows: {
                ts: number;
                value: number | string | null;
                quality: string;
                reason?: string;
            }[] | {
                start: number;
                end: number;
                count: number;
                mean: number | null;
                min: number | null;
                max: number | null;
                last: number | null;
                delta: number | null;
                estimated: boolean;
                revision: number;
                open: boolean;
            }[];
        };
        SiteSummary: {
            site: {
                id: string;
                name: string;
                /** @example Europe/Paris */
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
                /** @description Alarms whose condition is active and announced (active_unack, active_ack), in total and per severity */
                active: {
                    total: number;
                    info: number;
                    warning: number;
                    critical: number;
                };
                /** @description Alarms waiting for an acknowledgement (active_unack, cleared_unack) */
                unacknowledged: number;
            };
            devices: {
                total: number;
                online: number;
                offline: number;
                unknown: number;
                disabled: number;
                /** @description Enabled devices with at least one point of bad quality now, other than points the device does not implement */
                withBadPoints: number;
            };
            hierarchy: {
                /** @description Hierarchy nodes synced from the hub; empty on an edge that is not paired */
                nodes: {
                    id: string;
                    parentId: string | null;
                    /** @enum {string} */
                    kind: "building" | "area" | "system";
                    name: string;
                }[];
                /** @description Every device of the site with the node it is placed under, null when not placed */
                devices: {
                    key: string;
                    name: string;
                    nodeId: string | null;
                }[];
            };
        };
        EnergySettings: {
            /** @description ISO 4217 code of the costs, or null when neither the hub nor the site file names one */
            currency: string | null;
            settings: {
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
            /**
             * @description Where the settings come from: the hub's synced settings, the site file's `energy` section (no valid synced settings), or the defaults
             * @enum {string}
             */
            source: "hub" | "site-file" | "none";
        };
        Instance: {
            /**
             * @description The server the UI talks to: always `edge` here, while the cloud hub returns `cloud`
             * @enum {string}
             */
            mode: "edge";
            siteId: string;
            siteName: string;
            /**
             * @description Software version of the edge node
             * @example 0.1.0
             */
            version: string;
            cloud: {
                /** @description Whether the edge runs its link to a cloud hub, so cloud users can log in here */
                paired: boolean;
                /** @description Base URL of the hub, null when not paired */
                url: string | null;
            };
            /**
             * @description Present while first-boot setup is not finished; `siteId` and `siteName` are then empty until a site is chosen
             * @enum {boolean}
             */
            setup?: true;
        };
        SetupStatus: {
            /** @enum {string} */
            state: "setup" | "complete";
            steps: {
                /** @description Whether a local admin account exists */
                admin: boolean;
                site: components["schemas"]["SetupSite"];
                /** @description Number of devices chosen (in setup) or configured (when complete) */
                devices: number;
            };
            /**
             * @description Path of the setup wizard in the web app
             * @example /setup
             */
            setupUrl: string;
        };
        SetupSite: {
            /** @enum {string} */
            mode: "paired" | "standalone";
            siteId: string;
            siteName: string;
            /** @example Europe/Berlin */
            timeZone: string;
            /** @description Base URL of the hub; present when paired */
            cloudUrl?: string;
        } | null;
        SetupUnlockResponse: {
            /** @description Setup session token; send it as `Authorization: Bearer <token>` */
            token: string;
            /** @description ISO 8601 time the token expires, one hour after the unlock */
            expiresAt: string;
        };
        SetupUnlockRequest: {
            /**
             * @description Setup code printed on the console; dashes and spaces do not matter
             * @example 1234-5678
             */
            code: string;
        };
        SetupAdminResponse: {
            username: string;
        };
        SetupAdminRequest: {
            /**
             * @description 3 to 64 letters, digits, dots, dashes or underscores
             * @example installer
             */
            username: string;
            /** @description 12 to 256 characters */
            password: string;
        };
        SetupPairResponse: {
            siteId: string;
            siteName: string;
            timeZone: string;
            organizationId: string;
            edgeNodeId: string;
        };
        SetupPairRequest: {
            /**
             * @description Base URL of the cloud hub, http or https
             * @example https://ems.example.com
             */
            cloudUrl: string;
            /**
             * @description One-time pairing code an admin issued in the hub
             * @example 7K3M-Q9TX-2B
             */
            code: string;
        };
        SetupStandaloneResponse: {
            siteId: string;
            siteName: string;
            timeZone: string;
        };
        SetupStandaloneRequest: {
            /**
             * @description 1 to 200 characters; the site id is derived from it
             * @example Plant North
             */
            siteName: string;
            /**
             * @description IANA time zone name
             * @example Europe/Berlin
             */
            timeZone: string;
        };
        SetupScanStarted: {
            scanId: string;
        };
        SetupScanJob: {
            scanId: string;
            cidr: string;
            /** @enum {string} */
            state: "running" | "done" | "failed";
            progress: {
                done: number;
                total: number;
            };
            error?: string;
            found: ({
                key: string;
                /** @enum {string} */
                protocol: "modbus-tcp";
                host: string;
                port: number;
                unitId: number;
                sunspec: {
                    manufacturer: string;
                    model: string;
                    serialNumber: string;
                    version: string;
                    models: number[];
                } | null;
                suggestedTemplates: string[];
            } | {
                key: string;
                /** @enum {string} */
                protocol: "bacnet";
                address: string;
                port: number;
                deviceInstance: number;
                vendorId: number;
                vendorName: string;
                objectName: string;
                modelName: string;
                suggestedTemplates: string[];
            })[];
        };
        SetupTemplates: {
            templates: components["schemas"]["SetupTemplate"][];
        };
        SetupTemplate: {
            /**
             * @description Template name, as `template` in a site file
             * @example eastron-sdm630
             */
            id: string;
            /** @description Title of the template */
            name: string;
            /** @enum {string} */
            protocol: "modbus-tcp" | "bacnet";
            /** @description Manufacturer and the document the points follow */
            description: string;
        };
        SetupDevicesResponse: {
            /** @description Number of devices the site file will contain */
            devices: number;
        };
        SetupDevicesRequest: {
            devices: components["schemas"]["SetupDevicePick"][];
        };
        SetupDevicePick: {
            /**
             * @description Device key; derived from `name` when absent
             * @example grid-meter
             */
            key?: string;
            name: string;
            template: string;
            /** @enum {string} */
            protocol: "modbus-tcp" | "bacnet";
            /** @description IPv4 address or host name of a Modbus TCP device */
            host?: string;
            /** @description IPv4 address or host name of a BACnet/IP device */
            address?: string;
            /** @description TCP port (Modbus) or UDP port (BACnet) of the device */
            port: number;
            /** @description Modbus unit id; 1 when absent */
            unitId?: number;
            /** @description BACnet device instance; required for BACnet */
            deviceInstance?: number;
        };
        SetupFinishResponse: {
            /** @enum {string} */
            state: "complete";
            /** @enum {string} */
            loginUrl: "/login";
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
