terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81.0"
    }
  }
}

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111111111111"]
}

variable "ca_certificate_pem" {
  description = "PEM of the CA that issues the workload certificates (Roles Anywhere trust anchor)"
  type        = string
}

resource "aws_iam_openid_connect_provider" "gitlab_com" {
  url            = "https://gitlab.com"
  client_id_list = ["https://gitlab.com"]
  tags = {
    managed-by = "roleshift"
  }
}

resource "aws_iam_openid_connect_provider" "token_actions_githubusercontent_com" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags = {
    managed-by = "roleshift"
  }
}

resource "aws_rolesanywhere_trust_anchor" "roleshift_onprem" {
  name    = "roleshift-onprem"
  enabled = true

  source {
    source_type = "CERTIFICATE_BUNDLE"

    source_data {
      x509_certificate_data = var.ca_certificate_pem
    }
  }

  tags = {
    managed-by = "roleshift"
  }
}

resource "aws_iam_role" "backup_agent_roles_anywhere" {
  name                 = "backup-agent-roles-anywhere"
  path                 = "/roleshift/"
  description          = "IAM Roles Anywhere role replacing IAM user backup-agent"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "rolesanywhere.amazonaws.com"
        }
        Action = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]
        Condition = {
          ArnEquals = {
            "aws:SourceArn" = aws_rolesanywhere_trust_anchor.roleshift_onprem.arn
          }
          StringEquals = {
            "aws:PrincipalTag/x509Subject/CN" = "backup01.dc1.acme.example"
          }
        }
      },
    ]
  })
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "ops"
    "roleshift:replaces" = "arn:aws:iam::111111111111:user/backup-agent"
  }
}

resource "aws_iam_role_policy_attachment" "backup_agent_roles_anywhere_amazons3fullaccess" {
  role       = aws_iam_role.backup_agent_roles_anywhere.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_iam_role" "datadog_vendor" {
  name                 = "datadog-vendor"
  path                 = "/roleshift/"
  description          = "Role for Datadog replacing IAM user datadog"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::464622532012:root"
        }
        Action = "sts:AssumeRole"
        Condition = {
          StringEquals = {
            "sts:ExternalId" = "rs-a23ff97e7fac00a1509427bbb4d6336d"
          }
        }
      },
    ]
  })
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "sre"
    "roleshift:replaces" = "arn:aws:iam::111111111111:user/datadog"
  }
}

resource "aws_iam_role_policy_attachment" "datadog_vendor_securityaudit" {
  role       = aws_iam_role.datadog_vendor.name
  policy_arn = "arn:aws:iam::aws:policy/SecurityAudit"
}

resource "aws_iam_role" "github_deploy_oidc" {
  name                 = "github-deploy-oidc"
  path                 = "/roleshift/"
  description          = "github-actions pipeline replacing IAM user github-deploy"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Federated = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
        }
        Action = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
            "token.actions.githubusercontent.com:sub" = "repo:acme/site:ref:refs/heads/main"
          }
        }
      },
    ]
  })
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "platform-team"
    "roleshift:replaces" = "arn:aws:iam::111111111111:user/github-deploy"
    team                 = "platform"
  }
  depends_on = [aws_iam_openid_connect_provider.token_actions_githubusercontent_com]
}

resource "aws_iam_role_policy_attachment" "github_deploy_oidc_deploy_site" {
  role       = aws_iam_role.github_deploy_oidc.name
  policy_arn = "arn:aws:iam::111111111111:policy/team/deploy-site"
}

resource "aws_iam_role" "gitlab_ci_oidc" {
  name                 = "gitlab-ci-oidc"
  path                 = "/roleshift/"
  description          = "gitlab pipeline replacing IAM user gitlab-ci"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Federated = "arn:aws:iam::111111111111:oidc-provider/gitlab.com"
        }
        Action = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "gitlab.com:aud" = "https://gitlab.com"
            "gitlab.com:sub" = "project_path:acme/infra:ref_type:branch:ref:main"
          }
        }
      },
    ]
  })
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "infra"
    "roleshift:replaces" = "arn:aws:iam::111111111111:user/gitlab-ci"
  }
  depends_on = [aws_iam_openid_connect_provider.gitlab_com]
}

resource "aws_iam_role_policy" "gitlab_ci_oidc_permissions" {
  name = "permissions"
  role = aws_iam_role.gitlab_ci_oidc.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ecr:*"
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role" "orders_worker_ecs_task" {
  name                 = "orders-worker-ecs-task"
  path                 = "/roleshift/"
  description          = "ECS task role replacing IAM user orders-worker"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "ecs-tasks.amazonaws.com"
        }
        Action = "sts:AssumeRole"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = "111111111111"
          }
        }
      },
    ]
  })
  tags = {
    cost-center          = "CC-42"
    managed-by           = "roleshift"
    owner                = "orders"
    "roleshift:replaces" = "arn:aws:iam::111111111111:user/orders-worker"
  }
}

resource "aws_iam_role_policy" "orders_worker_ecs_task_permissions" {
  name = "permissions"
  role = aws_iam_role.orders_worker_ecs_task.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
        Resource = "arn:aws:sqs:us-east-1:111111111111:orders"
      },
    ]
  })
}

resource "aws_rolesanywhere_profile" "backup_agent_profile" {
  name      = "backup-agent-profile"
  enabled   = true
  role_arns = [aws_iam_role.backup_agent_roles_anywhere.arn]
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "ops"
    "roleshift:replaces" = "arn:aws:iam::111111111111:user/backup-agent"
  }
}

output "backup_agent_roles_anywhere_arn" {
  value = aws_iam_role.backup_agent_roles_anywhere.arn
}

output "datadog_vendor_arn" {
  value = aws_iam_role.datadog_vendor.arn
}

output "github_deploy_oidc_arn" {
  value = aws_iam_role.github_deploy_oidc.arn
}

output "gitlab_ci_oidc_arn" {
  value = aws_iam_role.gitlab_ci_oidc.arn
}

output "orders_worker_ecs_task_arn" {
  value = aws_iam_role.orders_worker_ecs_task.arn
}
